import Foundation
import Testing

/// Issue 20, through the built binary: `shiftlog serve` takes each setting from a flag, the
/// environment or `--config FILE`, in that order; `--print-config` shows the outcome (secrets
/// redacted) without opening the log or the port; a bad setting is one line and the exit
/// status of its source.
@Suite struct ServeSettingsTests {
    /// A data folder that is never created (the commands below must not open the log), and a
    /// settings file holding `json`.
    private func withFolderAndFile(_ json: String, _ body: (_ folder: String, _ file: String) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-settings-\(UUID().uuidString)"
        let file = folder + ".json"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: folder)
        }
        try await body(folder, file)
        #expect(!FileManager.default.fileExists(atPath: folder), "the log's folder was created")
    }

    /// The `--print-config` line of `name`: its value and source.
    private func line(_ output: String, _ name: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " ") }
    }

    @Test func printConfigShowsEachSettingFromTheSourceThatWins() async throws {
        try await withFolderAndFile(#"{"MAX_WORKERS": 3, "COOLDOWN_SECONDS": 10, "DAILY_BUDGET": 500}"#) { folder, file in
            let (status, output) = try await ShiftlogBinary.run(
                ["serve", "--path", folder, "--config", file, "--max-workers", "5", "--print-config"],
                environment: ["MAX_WORKERS": "4", "COOLDOWN_SECONDS": "20", "API_KEY": "s3cret-key"])
            #expect(status == 0, "\(output)")
            #expect(line(output, "MAX_WORKERS") == "5 flag")
            #expect(line(output, "COOLDOWN_SECONDS") == "20 environment")
            #expect(line(output, "DAILY_BUDGET") == "500 file \(file)")
            #expect(line(output, "STALE_THRESHOLD") == "300 default")
            #expect(line(output, "API_KEY") == "(redacted) environment")
            #expect(line(output, "HOST") == "0.0.0.0 default", "with API_KEY set every interface")
            #expect(!output.contains("s3cret-key"))
        }
    }

    @Test func aBadFlagIsAUsageError() async throws {
        try await withFolderAndFile("{}") { folder, file in
            let (status, output) = try await ShiftlogBinary.run(["serve", "--path", folder, "--config", file, "--max-workers", "0"])
            #expect(status == 64, "\(output)")
            #expect(output == "shiftlog: --max-workers 0 is out of range: use 1 to 10000\n")
        }
    }

    @Test func aBadVariableIsAConfigurationError() async throws {
        try await withFolderAndFile("{}") { folder, file in
            let (status, output) = try await ShiftlogBinary.run(
                ["serve", "--path", folder, "--config", file], environment: ["COOLDOWN_SECONDS": "soon"])
            #expect(status == 78, "\(output)")
            #expect(output == "shiftlog: COOLDOWN_SECONDS 'soon' is not a whole number\n")
        }
    }

    @Test func aBadFileIsAConfigurationErrorNamingTheFileAndKey() async throws {
        try await withFolderAndFile(#"{"MAX_WORKERS": 4, "STALE_TRESHOLD": 60}"#) { folder, file in
            let (status, output) = try await ShiftlogBinary.run(["serve", "--path", folder, "--config", file])
            #expect(status == 78, "\(output)")
            #expect(output == "shiftlog: \(file): 'STALE_TRESHOLD' is not a setting (did you mean STALE_THRESHOLD?)\n")
        }
        try await withFolderAndFile(#"{"MAX_WORKERS": 0}"#) { folder, file in
            let (status, output) = try await ShiftlogBinary.run(["serve", "--path", folder, "--config", file])
            #expect(status == 78, "\(output)")
            #expect(output == "shiftlog: \(file): MAX_WORKERS 0 is out of range: use 1 to 10000\n")
        }
    }

    @Test func aMissingFileIsAConfigurationError() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-settings-\(UUID().uuidString)"
        let (status, output) = try await ShiftlogBinary.run(["serve", "--path", folder, "--config", folder + "/absent.json"])
        #expect(status == 78, "\(output)")
        #expect(output == "shiftlog: the settings file \(folder)/absent.json does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    @Test func helpListsEverySettingFromItsDeclaration() async throws {
        let (status, output) = try await ShiftlogBinary.run(["serve", "--help"])
        #expect(status == 0)
        #expect(output.contains("--max-workers <value>, MAX_WORKERS (default 2; 1 to 10000)"), "\(output)")
        #expect(output.contains("--config <file>"))
        #expect(output.contains("--print-config"))
        let whatIf = try await ShiftlogBinary.run(["what-if", "--help"])
        #expect(whatIf.output.contains("--cooldown-seconds <value>, COOLDOWN_SECONDS (default 60; 0 to 86400)"), "\(whatIf.output)")
        #expect(!whatIf.output.contains("--port"))
    }
}
