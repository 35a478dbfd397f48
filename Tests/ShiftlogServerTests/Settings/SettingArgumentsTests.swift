import ShiftlogCore
import ShiftlogServer
import Testing

/// Issue 20: each setting's flag is derived from its name; `serve` takes every setting's,
/// `what-if` the rules'.
@Suite("Setting flags")
struct SettingArgumentsTests {
    @Test func flagsTakeTheNextArgumentOrTheTextAfterEquals() throws {
        let flags = try SettingArguments.parse(
            ["--max-workers", "4", "--cooldown-seconds=0", "--daily-budget", "-3"], settings: ShiftlogSettings.all)
        #expect(flags == ["MAX_WORKERS": "4", "COOLDOWN_SECONDS": "0", "DAILY_BUDGET": "-3"])
    }

    @Test func anUnknownFlagIsAUsageErrorWithTheNearestFlag() {
        #expect(throws: SettingError(.unknownName, source: .flag, "unknown option '--max-wrkers' (did you mean --max-workers?)")) {
            _ = try SettingArguments.parse(["--max-wrkers", "4"], settings: ShiftlogSettings.all)
        }
    }

    @Test func whatIfsOldSpellingsAreNoLongerFlags() {
        #expect(throws: SettingError(.unknownName, source: .flag, "unknown option '--cooldown'")) {
            _ = try SettingArguments.parse(["--cooldown", "4"], settings: ShiftlogSettings.rules)
        }
    }

    @Test func whatIfTakesOnlyTheRules() {
        #expect(throws: SettingError(.unknownName, source: .flag, "unknown option '--port'")) {
            _ = try SettingArguments.parse(["--port", "4"], settings: ShiftlogSettings.rules)
        }
    }

    @Test func aSecretIsNeverAFlag() {
        #expect(
            throws: SettingError(
                .notAllowedHere, source: .flag, "--api-key is a secret: set API_KEY in the environment, not on the command line")
        ) {
            _ = try SettingArguments.parse(["--api-key", "s3cret"], settings: ShiftlogSettings.all)
        }
    }

    @Test func aFlagWithoutAValueIsRefused() {
        #expect(throws: SettingError(.badValue, source: .flag, "--max-workers needs a value")) {
            _ = try SettingArguments.parse(["--max-workers", "--port", "3"], settings: ShiftlogSettings.all)
        }
    }
}
