import Foundation
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import Testing

/// Issue 20: a setting comes from a flag, else the environment, else the settings file, else
/// its declared default; the source is kept for `--print-config`.
@Suite("Setting precedence")
struct SettingPrecedenceTests {
    let maxWorkers = ShiftlogSettings.maxWorkers

    @Test func aFlagWinsOverTheEnvironmentTheFileAndTheDefault() throws {
        try withSettingsFile(#"{"MAX_WORKERS": 3}"#) { file in
            let values = try SettingValues(flags: ["MAX_WORKERS": "5"], environment: ["MAX_WORKERS": "4"], file: file)
            #expect(values[maxWorkers] == 5)
            #expect(values.source(of: maxWorkers) == .flag)
        }
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        try withSettingsFile(#"{"MAX_WORKERS": 3}"#) { file in
            let values = try SettingValues(environment: ["MAX_WORKERS": "4"], file: file)
            #expect(values[maxWorkers] == 4)
            #expect(values.source(of: maxWorkers) == .environment)
        }
    }

    @Test func theFileWinsOverTheDefault() throws {
        try withSettingsFile(#"{"MAX_WORKERS": 3}"#) { file in
            let values = try SettingValues(file: file)
            #expect(values[maxWorkers] == 3)
            #expect(values.source(of: maxWorkers) == .file(file.path))
        }
    }

    @Test func withNoSourceTheDeclaredDefaultHolds() throws {
        let values = try SettingValues()
        #expect(values[maxWorkers] == 2)
        #expect(values.source(of: maxWorkers) == .default)
        // The engine's rules default to the same declaration.
        #expect(LifecycleConfiguration().maxWorkers == maxWorkers.defaultValue)
    }

    @Test func aBlankValueCountsAsNotGiven() throws {
        let values = try SettingValues(flags: ["MAX_WORKERS": " "], environment: ["MAX_WORKERS": "", "PORT": " 8080 "])
        #expect(values[maxWorkers] == 2)
        #expect(values.source(of: maxWorkers) == .default)
        #expect(values[ShiftlogSettings.port] == 8080)
    }

    @Test func eachSettingTakesItsOwnSource() throws {
        try withSettingsFile(#"{"COOLDOWN_SECONDS": 0, "RETRY_BACKOFF_SECONDS": [1, 2], "WORKER_IMAGE": "acme/worker:1"}"#) { file in
            let values = try SettingValues(
                flags: ["WORKER_IMAGE": "acme/worker:2"], environment: ["COOLDOWN_SECONDS": "30"], file: file)
            let serve = ServeEnvironment(values)
            #expect(serve.engine.lifecycle.cooldownSeconds == 30)
            #expect(serve.engine.lifecycle.retryBackoffSeconds == [1, 2])
            #expect(serve.engine.workerImage == "acme/worker:2")
            #expect(serve.engine.lifecycle.maxWorkers == 2)
        }
    }

    @Test func whatIfTakesOnlyTheRulesItIsGiven() throws {
        let values = try SettingValues(ShiftlogSettings.rules, flags: ["MAX_RETRIES": "0"])
        var rules = LifecycleConfiguration()
        rules.maxWorkers = 7  // as recorded in a log
        values.applyRules(to: &rules, onlyGiven: true)
        #expect(rules.maxRetries == 0)
        #expect(rules.maxWorkers == 7)
    }
}

/// Writes `json` to a temporary settings file, reads it, and removes it after `body`.
func withSettingsFile(_ json: String, _ body: (SettingsFile) throws -> Void) throws {
    let path = NSTemporaryDirectory() + "shiftlog-settings-\(UUID().uuidString).json"
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(try SettingsFile(contentsOf: path))
}
