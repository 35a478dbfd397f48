import Foundation
import ShiftlogCore
import ShiftlogServer
import Testing

/// Issue 20: the settings file (`serve --config FILE`) is a JSON object of settings by name.
/// What it cannot hold is refused in one line naming the file and the key.
@Suite("Settings file")
struct SettingsFileTests {
    private func refusal(_ json: String, path: String = "deploy/shiftlog.json") -> SettingError? {
        do {
            _ = try SettingsFile(bytes: Array(json.utf8), path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func numbersStringsAndListsAreRead() throws {
        let file = try SettingsFile(
            bytes: Array(#"{"MAX_WORKERS": 4, "WORKER_IMAGE": "acme/w:1", "RETRY_BACKOFF_SECONDS": [60, 60], "DAILY_BUDGET": "500"}"#.utf8),
            path: "f.json")
        #expect(file.values == ["MAX_WORKERS": "4", "WORKER_IMAGE": "acme/w:1", "RETRY_BACKOFF_SECONDS": "60,60", "DAILY_BUDGET": "500"])
    }

    @Test func anUnknownKeyIsRefusedWithTheNearestName() {
        let error = refusal(#"{"MAX_WORKRS": 4}"#)
        #expect(error?.code == .unknownName)
        #expect(error?.message == "deploy/shiftlog.json: 'MAX_WORKRS' is not a setting (did you mean MAX_WORKERS?)")
    }

    @Test func aKeyFarFromAnyNameIsRefusedPlainly() {
        #expect(refusal(#"{"colour": "blue"}"#)?.message == "deploy/shiftlog.json: 'colour' is not a setting")
    }

    @Test func aSecretIsRefusedInAFile() {
        let error = refusal(#"{"API_KEY": "s3cret"}"#)
        #expect(error?.code == .notAllowedHere)
        #expect(error?.message.hasPrefix("deploy/shiftlog.json: API_KEY is a secret") == true)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test(arguments: [#"{"MAX_WORKERS": true}"#, #"{"MAX_WORKERS": null}"#, #"{"MAX_WORKERS": {"n": 4}}"#, #"{"RETRY_BACKOFF_SECONDS": [[1]]}"#])
    func aValueOfTheWrongShapeIsRefusedNamingTheKey(json: String) {
        let error = refusal(json)
        #expect(error?.code == .badValue)
        #expect(error?.message.hasPrefix("deploy/shiftlog.json: ") == true)
        #expect(error?.message.contains("must be a number, a string, or an array of them") == true)
    }

    @Test func textThatIsNotJSONIsRefusedSayingWhere() {
        let error = refusal(#"{"MAX_WORKERS": 4,}"#)
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.hasPrefix("deploy/shiftlog.json: the settings file is not JSON: ") == true)
        #expect(error?.message.contains("at byte") == true)
    }

    @Test func aJSONValueOtherThanAnObjectIsRefused() {
        #expect(refusal("[1, 2]")?.message == "deploy/shiftlog.json: the settings file must hold one JSON object of settings by name")
    }

    @Test func aMissingFileIsRefusedNamingIt() {
        let path = NSTemporaryDirectory() + "absent-\(UUID().uuidString).json"
        #expect(throws: SettingError(.unreadableFile, source: .file(path), "the settings file \(path) does not exist")) {
            _ = try SettingsFile(contentsOf: path)
        }
    }
}
