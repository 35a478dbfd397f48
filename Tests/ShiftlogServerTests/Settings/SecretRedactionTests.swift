import ShiftlogCore
import ShiftlogServer
import Testing

/// Issue 20: `--print-config` shows every setting's effective value and source, with secrets
/// redacted.
@Suite("Secret redaction")
struct SecretRedactionTests {
    @Test func secretsAreShownRedactedWithTheirSource() throws {
        let environment = [
            "API_KEY": "s3cret-key", "GITHUB_TOKEN": "ghp_token", "SHIFTLOG_STORE": "postgres://shiftlog:pa55@db:5432/o",
            "MAX_WORKERS": "4",
        ]
        let values = try SettingValues(environment: environment)
        let shown = ServeEnvironment(values).effectiveSettings(values)
        let byName = Dictionary(uniqueKeysWithValues: shown.map { ($0.name, $0) })
        #expect(byName["API_KEY"]?.value == "(redacted)")
        #expect(byName["API_KEY"]?.source == .environment)
        #expect(byName["GITHUB_TOKEN"]?.value == "(redacted)")
        #expect(byName["SHIFTLOG_STORE"]?.value == "postgres://shiftlog:(redacted)@db:5432/o")
        #expect(byName["MAX_WORKERS"]?.value == "4")
        for secret in ["s3cret-key", "ghp_token", "pa55"] {
            #expect(!shown.contains { $0.value.contains(secret) }, "\(secret) shown")
        }
    }

    @Test func everySettingIsShownOnceWithDerivedDefaultsWorkedOut() throws {
        let values = try SettingValues(environment: ["PORT": "4100"])
        let shown = ServeEnvironment(values).effectiveSettings(values)
        #expect(shown.map(\.name) == ShiftlogSettings.all.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: shown.map { ($0.name, $0) })
        #expect(byName["HOST"]?.value == "127.0.0.1")
        #expect(byName["ORCHESTRATOR_URL"]?.value == "http://127.0.0.1:4100")
        #expect(byName["API_KEY"]?.value == "(none)")
    }

    @Test func secretsComeFromTheEnvironmentOnly() {
        for setting in ShiftlogSettings.all where setting.isSecret {
            #expect(setting.sources == [.environment], "\(setting.name)")
            #expect(setting.flag == nil, "\(setting.name)")
        }
    }
}
