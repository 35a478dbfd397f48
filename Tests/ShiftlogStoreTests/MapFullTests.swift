import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

/// A log whose map cannot grow (it reached `maximumMapSize`): the append that does not fit
/// fails with `mapFull` naming the folder, nothing stored before is lost, the log still reads,
/// and opened again with a larger maximum it takes the same append.
@Suite struct MapFullTests {
    let folder = NSTemporaryDirectory() + "shiftlog-map-full-\(UUID().uuidString)"
    func event(_ sequence: UInt64) -> RecordedEvent { bulkyEvent(sequence) }

    @Test func anAppendPastTheMaximumFailsNamingTheFolderAndLosesNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var stored: UInt64 = 0
        var failed: AppendBatch?
        do {
            let log = try LMDBEventLog(path: folder, options: .init(initialMapSize: 64 << 10, maximumMapSize: 256 << 10))
            defer { log.close() }
            var failure: (any Error)?
            while failure == nil, stored < 10_000 {
                let batch = AppendBatch(
                    events: (stored + 1...stored + 10).map(event), checkpoints: ["containers": stored + 10])
                do {
                    try log.append(batch)
                    stored += 10
                } catch {
                    failure = error
                    failed = batch
                }
            }
            let error = try #require(failure as? StoreError, "the map never filled (\(stored) events stored)")
            #expect(error.code == .mapFull)
            #expect(
                error.message == "\(folder): the map is full at its maximum size of 256 KB (maximumMapSize); nothing of this write was stored — open the log with a larger maximum")
            #expect(stored >= 40, "the map grew from 64 KB to its maximum before refusing")
            // Everything acknowledged before is there, and nothing of the failed batch.
            #expect(try log.lastSequence() == stored)
            #expect(try log.read(after: 0, limit: 100_000).map(\.sequence) == Array(1...stored))
            #expect(try log.checkpoint(for: "containers") == stored)
            // The refusal is not sticky: it is the same error again, not a broken log.
            #expect((#expect(throws: StoreError.self) { try log.append(failed!) })?.code == .mapFull)
        }

        // Opened again with room to grow, the same append goes through.
        let log = try LMDBEventLog(path: folder, options: .init(initialMapSize: 64 << 10, maximumMapSize: 4 << 20))
        try log.append(try #require(failed))
        #expect(try log.lastSequence() == stored + 10)
        #expect(try log.read(after: 0, limit: 100_000).map(\.sequence) == Array(1...stored + 10))
        #expect(try log.checkpoint(for: "containers") == stored + 10)
        log.close()
    }

    @Test func aMaximumBelowTheInitialSizeCapsTheInitialSize() throws {
        let options = LMDBEventLog.Options(initialMapSize: 64 << 20, maximumMapSize: 1 << 20)
        #expect(options.initialMapSize == 1 << 20)
        #expect(LMDBEventLog.Options().maximumMapSize == nil, "no limit unless one is asked for")
    }
}
