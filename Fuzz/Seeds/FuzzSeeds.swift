// Writes the seeds of the binary corpora from an export: for each event type, the first
// event's stored record as this build writes it (format 2, without its CRC-32C, which
// `Fuzz/RecordDecoder` adds), and the projection snapshot after a few events and after all of
// them, in each binary layout (and after a few as JSON). Run by hand when a layout changes:
//
//     swift run FuzzSeeds Fixtures/Logs/demo.jsonl Fuzz/Corpus
import Foundation
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

@main enum FuzzSeeds {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            FileHandle.standardError.write(Data("usage: FuzzSeeds EXPORT.jsonl CORPUS_FOLDER\n".utf8))
            exit(64)
        }
        let export = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
        let corpus = URL(fileURLWithPath: arguments[2])
        var parser = LineParser(renumber: false)
        var state = LifecycleState()
        var seenTypes: Set<String> = []
        for line in [UInt8](export).split(separator: UInt8(ascii: "\n")) {
            guard let event = try parser.parse(line) else { continue }
            state = evolve(state, event)
            if seenTypes.insert(event.type.rawValue).inserted {
                try write(Array(try EventRecord.encode(event).dropLast(4)), to: corpus, "RecordDecoder", "record-\(event.type.rawValue)")
            }
            if event.sequence == 5 {
                try writeSnapshots(state, to: corpus, "after-5")
                // The JSON form earlier builds wrote, which still decodes.
                let json = Array(try CanonicalJSON.compactEncoder().encode(state))
                try write(json, to: corpus, "SnapshotDecoder", "after-5-json")
            }
        }
        try parser.finish()
        try writeSnapshots(state, to: corpus, "after-all")
    }

    static func writeSnapshots(_ state: LifecycleState, to corpus: URL, _ name: String) throws {
        for layout in 1...ProjectionSnapshotCodec.currentLayout {
            try write(ProjectionSnapshotCodec.encode(state, layout: layout), to: corpus, "SnapshotDecoder", "\(name)-layout-\(layout)")
        }
    }

    static func write(_ bytes: [UInt8], to corpus: URL, _ target: String, _ name: String) throws {
        let folder = corpus.appendingPathComponent(target)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }
}
