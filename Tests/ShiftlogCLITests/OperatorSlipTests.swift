import Foundation
@testable import ShiftlogInspect
import Testing

/// Issue 22 §3: `shiftlog export --path D -o D/data.mdb` replaced the log with its own export
/// while `serve` was writing to it; the service went on writing to the deleted file and the
/// restart was refused. No command's output may land inside a log folder, and an import never
/// removes a destination that filled up while it ran.
@Suite struct OperatorSlipTests {
    static let demoLog = ShiftlogBinary.root.appendingPathComponent("Fixtures/Logs/demo.jsonl").path

    private func withLog(_ body: (_ folder: String, _ log: String) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-slip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let imported = try await ShiftlogBinary.run(["import", Self.demoLog, "--path", folder + "/log"])
        try #require(imported.status == 0, "\(imported.output)")
        try await body(folder, folder + "/log")
    }

    /// Given a log, when its export is aimed at the log's own `data.mdb`, a file beside it, a
    /// file in a folder inside it, or a link into it, then each is refused in one line with
    /// exit 73 and the log's bytes are unchanged.
    @Test func anExportIntoALogFolderIsRefusedAndTheLogIsUntouched() async throws {
        try await withLog { folder, log in
            let before = try Data(contentsOf: URL(fileURLWithPath: log + "/data.mdb"))
            try FileManager.default.createDirectory(atPath: log + "/inner", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder + "/link.jsonl", withDestinationPath: log + "/data.mdb")
            for output in [log + "/data.mdb", log + "/export.jsonl", log + "/inner/export.jsonl", folder + "/link.jsonl"] {
                let ending = try await ShiftlogBinary.runReportingEnding(["export", "--path", log, "-o", output])
                #expect(ending.status == 73, "\(output): \(ending.status) \(ending.error)")
                #expect(ending.error.hasPrefix("shiftlog: ") && ending.error.contains("inside the log folder"), "\(ending.error)")
                #expect(ending.error.split(separator: "\n").count == 1, "\(ending.error)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: log + "/data.mdb")) == before)
            #expect(!FileManager.default.fileExists(atPath: log + "/export.jsonl"))
            let verify = try await ShiftlogBinary.run(["verify", "--path", log])
            #expect(verify.status == 0, "\(verify.output)")
            // Beside the folder is fine.
            let beside = try await ShiftlogBinary.run(["export", "--path", log, "-o", folder + "/export.jsonl"])
            #expect(beside.status == 0, "\(beside.output)")
        }
    }

    /// Given a running service on a folder, when an operator exports that log onto its own
    /// `data.mdb`, then the export is refused and the service goes on writing the same log:
    /// an item added afterwards is in the log after a restart, which verifies.
    @Test(.timeLimit(.minutes(1)))
    func anExportOverALiveLogIsRefusedAndTheServiceKeepsItsLog() async throws {
        let folder = NSTemporaryDirectory() + "shiftlog-slip-live-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/log"
        let environment = ["PORT": "\(try freePort())", "MAX_WORKERS": "1", "LOOP_INTERVAL_MS": "100000"]
        let service = try await RunningService.start(path: path, arguments: ["--runtime", "process"], environment: environment)
        defer { service.forceCleanUp() }
        try await ServiceClient.withHTTPClient { http in
            let client = ServiceClient(http: http, baseURL: service.url)
            let first = try await client.add(repo: "acme/slip", spec: "# before")
            let export = try await ShiftlogBinary.runReportingEnding(["export", "--path", path, "-o", path + "/data.mdb"])
            #expect(export.status == 73, "\(export.error)")
            let second = try await client.add(repo: "acme/slip", spec: "# after")
            let stopped = try await service.stop(with: SIGTERM)
            #expect(stopped.status == 0, "\(service.output)")
            let added = try await loggedEvents(in: path, types: ["workItemAdded"]).compactMap { $0.payload("workItemId") as? String }
            #expect(Set(added) == [first, second], "\(added)")
        }
        let verify = try await ShiftlogBinary.run(["verify", "--path", path])
        #expect(verify.status == 0, "\(verify.output)")
    }

    /// Given an import into an empty folder, when a log appears in that folder while the import
    /// builds (a service started on it), then the import is refused at its end and the folder
    /// keeps what was put there: the import never removes a destination.
    @Test func anImportNeverRemovesADestinationThatFilledMeanwhile() throws {
        let folder = NSTemporaryDirectory() + "shiftlog-slip-import-\(UUID().uuidString)"
        let destination = folder + "/log"
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try StagingFolder.build(destination, notice: { _ in }) { staging in
                try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
                // Meanwhile, another process starts writing a log in the destination.
                _ = FileManager.default.createFile(atPath: destination + "/data.mdb", contents: Data("live".utf8))
            }
        } throws: { error in
            (error as? InspectError)?.code == .destinationExists
        }
        #expect(FileManager.default.contents(atPath: destination + "/data.mdb") == Data("live".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["log"], "the staging folder is removed")
    }
}
