import Foundation
import ShiftlogCore
import Testing

/// Snapshots the fuzzer (`scripts/fuzz SnapshotDecoder`) found decoding into a state that
/// does not survive its own re-encoding: each is now refused. The inputs are kept in the seed
/// corpus, `Fuzz/Corpus/SnapshotDecoder/found-*`, so every fuzz run replays them too.
@Suite struct DamagedSnapshotTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/SnapshotDecoder")

    /// Issue 12: a JSON snapshot whose work item sits under a key (`ite-m2`) other than its id
    /// (`item-2`) decoded; the binary layout stores no keys, so re-encoding moved the item.
    @Test func aJSONSnapshotWhoseKeyIsNotItsIdIsRefused() throws {
        let found = try Data(contentsOf: Self.corpus.appendingPathComponent("found-key-differs-from-id"))
        let error = try #require(throws: DecodingError.self) { try ProjectionSnapshotCodec.decode(Array(found)) }
        #expect("\(error)".contains("the entry under 'ite-m2' has the id 'item-2'"))

        // The same snapshot with the key put back decodes, and re-encodes to the same bytes.
        let repaired = String(decoding: found, as: UTF8.self).replacingOccurrences(of: "\"ite-m2\":", with: "\"item-2\":")
        let state = try ProjectionSnapshotCodec.decode(Array(repaired.utf8))
        let bytes = ProjectionSnapshotCodec.encode(state)
        #expect(ProjectionSnapshotCodec.encode(try ProjectionSnapshotCodec.decode(bytes)) == bytes)
    }
}
