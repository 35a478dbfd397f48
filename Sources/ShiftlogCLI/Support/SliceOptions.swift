import ArgumentParser
import ShiftlogInspect

/// `--worker`, `--item`, `--after`, `--through`: which part of a log a command reads,
/// shared by `events` and `export`.
struct SliceOptions: ParsableArguments {
    @Option(name: .long, help: "Only events about this worker (repeatable).")
    var worker: [String] = []

    @Option(name: .long, help: "Only events about this work item, and its workers' locks (repeatable).")
    var item: [String] = []

    @Option(name: .long, help: "Only events after this sequence number.")
    var after: UInt64 = 0

    @Option(name: .long, help: "Only events up to and including this sequence number.")
    var through: UInt64?

    /// Whether this names less than the whole log by id or by its start.
    var isSlice: Bool { !worker.isEmpty || !item.isEmpty || after > 0 }

    /// The filter these options describe.
    var filter: EventFilter {
        var filter = EventFilter()
        filter.workerIds = Set(worker)
        filter.workItemIds = Set(item)
        filter.after = after
        filter.through = through ?? .max
        return filter
    }
}
