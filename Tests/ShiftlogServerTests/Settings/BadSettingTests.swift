import Foundation
import ShiftlogCore
import ShiftlogServer
import Testing

/// Issue 20: a bad value is refused wherever it is given, in one message naming the setting as
/// it was given (flag, variable, or file and key), quoting the value and saying what is allowed.
@Suite("Bad settings")
struct BadSettingTests {
    @Test func aBadFlagIsRefusedNamingTheFlag() {
        #expect(throws: SettingError(.badValue, source: .flag, "--max-workers 0 is out of range: use 1 to 10000")) {
            _ = try SettingValues(flags: ["MAX_WORKERS": "0"])
        }
    }

    @Test func aBadVariableIsRefusedNamingTheVariable() {
        #expect(throws: SettingError(.badValue, source: .environment, "MAX_WORKERS 'lots' is not a whole number")) {
            _ = try SettingValues(environment: ["MAX_WORKERS": "lots"])
        }
    }

    @Test func aBadFileValueIsRefusedNamingTheFileAndKey() throws {
        let path = NSTemporaryDirectory() + "bad-\(UUID().uuidString).json"
        let file = try SettingsFile(bytes: Array(#"{"MAX_WORKERS": 0}"#.utf8), path: path)
        #expect(throws: SettingError(.badValue, source: .file(path), "\(path): MAX_WORKERS 0 is out of range: use 1 to 10000")) {
            _ = try SettingValues(file: file)
        }
    }

    @Test func aBadValueIsRefusedEvenWhereAHigherSourceOverridesIt() throws {
        let file = try SettingsFile(bytes: Array(#"{"COOLDOWN_SECONDS": -1}"#.utf8), path: "deploy.json")
        #expect(throws: SettingError(.badValue, source: .file("deploy.json"), "deploy.json: COOLDOWN_SECONDS -1 is out of range: use 0 to 86400")) {
            _ = try SettingValues(environment: ["COOLDOWN_SECONDS": "5"], file: file)
        }
    }

    @Test(arguments: [
        ("RETRY_BACKOFF_SECONDS", "1,x", "RETRY_BACKOFF_SECONDS '1,x': 'x' is not a whole number"),
        ("RETRY_BACKOFF_SECONDS", "1,-1", "RETRY_BACKOFF_SECONDS -1 is out of range: use 0 to 86400"),
        ("RETRY_BACKOFF_SECONDS", Array(repeating: "1", count: 17).joined(separator: ","), "must list 1 to 16 numbers"),
        ("STALE_THRESHOLD", "9223372036854775808", "STALE_THRESHOLD 9223372036854775808 is out of range: use 1 to 604800"),
        ("ORCHESTRATOR_URL", "ftp://x", "ORCHESTRATOR_URL 'ftp://x' must be an http:// or https:// URL with a host"),
        ("CONTAINER_LABEL", "team a", "CONTAINER_LABEL 'team a' must be 1 to 128 letters, digits, '.', '_' or '-'"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL 'loud' is not one of trace, debug, info, notice, warning, error, critical"),
    ])
    func eachFormatSaysWhatIsAllowed(name: String, value: String, message: String) {
        #expect {
            _ = try SettingValues(environment: [name: value])
        } throws: { error in
            (error as? SettingError)?.message.contains(message) == true
        }
    }

    @Test func aLongBadValueIsQuotedCut() {
        #expect {
            _ = try SettingValues(environment: ["PORT": String(repeating: "9x", count: 5_000)])
        } throws: { error in
            let message = (error as? SettingError)?.message ?? ""
            return message.hasPrefix("PORT '9x9x") && message.contains("(10000 characters)") && message.count < 200
        }
    }
}
