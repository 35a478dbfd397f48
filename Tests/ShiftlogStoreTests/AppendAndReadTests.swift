import Foundation
@testable import ShiftlogCore
import ShiftlogStore
import Testing

@Suite struct AppendAndReadTests {
    let folder = NSTemporaryDirectory() + "shiftlog-store-\(UUID().uuidString)"
    let t0 = Timestamp(iso8601: "2026-03-01T09:00:00Z")!

    func event(_ sequence: UInt64, _ item: String = "item") -> RecordedEvent {
        RecordedEvent(
            sequence: sequence, time: t0.adding(seconds: Int64(sequence)), correlationId: "cmd-\(sequence)",
            causationId: sequence.isMultiple(of: 2) ? "seq:\(sequence - 1)" : nil,
            event: .workItemAssigned(WorkItemAssigned(workItemId: "\(item)-\(sequence)")))
    }

    @Test func eventsRoundTripWithTheirEnvelope() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder)
        let events = (1...10).map { event($0) }
        try log.append(AppendBatch(events: events, checkpoints: ["containers": 7]))
        #expect(try log.read(after: 0, limit: 100) == events)
        #expect(try log.read(after: 4, limit: 3) == Array(events[4..<7]))
        #expect(try log.lastSequence() == 10)
        #expect(try log.checkpoint(for: "containers") == 7)
        #expect(try log.checkpoint(for: "metrics") == nil)
    }

    /// `scan` hands back every event in its range once, in order, in batches, and nothing past
    /// `through`, whether the range ends inside a batch, on a batch's end or past the log;
    /// a visitor that stops early ends it.
    @Test func scanVisitsItsRangeInOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder)
        try log.append(AppendBatch(events: (1...25).map { event($0) }))
        for (after, through) in [(0, UInt64.max), (0, 7), (3, 10), (5, 25), (24, 30), (9, 9), (12, 4)] as [(UInt64, UInt64)] {
            var seen: [UInt64] = []
            try log.scan(after: after, through: through, batchSize: 5) { batch in
                #expect(batch.count <= 5)
                seen += batch.map(\.sequence)
                return true
            }
            let expected = after < min(through, 25) ? Array((after + 1)...min(through, 25)) : []
            #expect(seen == expected, "after \(after) through \(through)")
        }
        var visits = 0
        try log.scan(batchSize: 5) { _ in
            visits += 1
            return visits < 2
        }
        #expect(visits == 2)
    }

    @Test func aGapInSequenceIsRefusedAndNothingIsWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder)
        try log.append(AppendBatch(events: [event(1)]))
        let error = #expect(throws: StoreError.self) { try log.append(AppendBatch(events: [event(3)], checkpoints: ["x": 3])) }
        #expect(error?.code == .sequenceGap)
        #expect(try log.lastSequence() == 1)
        #expect(try log.checkpoint(for: "x") == nil)
    }

    @Test func theMapGrowsWhenFull() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder, options: .init(initialMapSize: 64 * 1024))
        let big = String(repeating: "x", count: 2_000)
        for batch in 0..<50 {
            let events = (1...20).map { event(UInt64(batch * 20 + $0), big) }
            try log.append(AppendBatch(events: events))
        }
        #expect(try log.lastSequence() == 1_000)
        #expect(try log.read(after: 999, limit: 1).first == event(1_000, big))
    }

    @Test func aReadOnlyLogRefusesWrites() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try LMDBEventLog(path: folder).append(AppendBatch(events: [event(1)]))
        let readOnly = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        #expect(try readOnly.read(after: 0, limit: 10) == [event(1)])
        let error = #expect(throws: StoreError.self) { try readOnly.append(AppendBatch(events: [event(2)])) }
        #expect(error?.code == .readOnly)
    }

    @Test func aFlippedByteIsCaughtByTheChecksum() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let log = try LMDBEventLog(path: folder)
            try log.append(AppendBatch(events: (1...3).map { event($0) }))
        }
        // Find event 2's payload in the file and change one byte of it.
        let url = URL(fileURLWithPath: folder + "/data.mdb")
        var bytes = try Data(contentsOf: url)
        let needle = Data("item-2".utf8)
        let range = try #require(bytes.range(of: needle))
        bytes[range.lowerBound] = UInt8(ascii: "j")
        try bytes.write(to: url)
        let log = try LMDBEventLog(path: folder, options: .init(readOnly: true))
        #expect(try log.read(after: 0, limit: 1) == [event(1)])
        let error = #expect(throws: StoreError.self) { try log.read(after: 0, limit: 10) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("event 2: checksum mismatch") == true)
    }

    @Test func readersRunWhileTheWriterWrites() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try LMDBEventLog(path: folder, options: .init(initialMapSize: 256 * 1024))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 1...400 { try log.append(AppendBatch(events: [event(UInt64(n))])) }
            }
            for _ in 0..<2 {
                group.addTask {
                    var seen: UInt64 = 0
                    while seen < 400 {
                        let batch = try log.read(after: seen, limit: 64)
                        for (offset, e) in batch.enumerated() { #expect(e.sequence == seen + UInt64(offset) + 1) }
                        seen = batch.last?.sequence ?? seen
                        if batch.isEmpty { await Task.yield() }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
