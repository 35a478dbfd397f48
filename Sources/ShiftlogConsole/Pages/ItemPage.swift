import ShiftlogCore
import ShiftlogInspect

/// `/items/<id>`: one item's facts, its story as a picture (``TimelinePicture``), the verdict
/// `shiftlog timeline` prints, and its events, each linked to `/events/<sequence>`; a cancel
/// button while it has not ended.
enum ItemPage {
    struct Fact {
        var name: String
        var value: String
    }

    struct Entry {
        var sequence: UInt64
        var time: String
        var delta: String?
        var type: String
        var summary: String
        var notes: [String]
        var flagged: Bool
    }

    struct Choice {
        var value: String
        var selected: Bool
    }

    struct View {
        var id: String
        var status: String
        var facts: [Fact]
        var spec: String?
        var error: String?
        var verdict: [String]
        var svg: String
        var entries: [Entry]
        var cancellable: Bool
        /// Failed or cancelled, or queued and waiting for its backoff: "Run again now".
        var retryable: Bool
        /// Queued or assigned: the priority can change.
        var prioritizable: Bool
        /// The priorities to choose from, the current one selected.
        var priorities: [Choice]
        var csrf: String
    }

    static func render(id: String, _ state: LifecycleState, _ source: any ConsoleSource, canAct: Bool, csrf: String) throws -> Page {
        guard let item = state.workItems[id] else {
            throw ConsoleError.notFound("No work item \(ConsoleError.quoted(id)) in this log (it may never have existed, or was retired).")
        }
        let timeline = try Timeline.build(of: id, in: source.log, endState: state)
        var facts = [
            Fact(name: "Repository", value: item.repo), Fact(name: "Type", value: item.type.rawValue),
            Fact(name: "Priority", value: item.priority.rawValue), Fact(name: "Retries", value: String(item.retryCount)),
            Fact(name: "Iteration", value: "\(item.iteration) of \(item.maxIterations)"),
            Fact(name: "Added", value: item.createdAt.iso8601), Fact(name: "Updated", value: item.updatedAt.iso8601),
        ]
        if let branch = item.branch { facts.insert(Fact(name: "Branch", value: branch), at: 1) }
        if let worker = item.workerId { facts.append(Fact(name: "Worker", value: worker)) }
        if let next = item.nextRetryAt { facts.append(Fact(name: "Next retry", value: next.iso8601)) }
        if let url = item.prUrl { facts.append(Fact(name: "Pull request", value: url)) }
        if let parent = item.parentWorkItemId { facts.append(Fact(name: "Verifies", value: parent)) }
        let entries = timeline.entries.map { entry in
            Entry(
                sequence: entry.sequence, time: entry.time.iso8601, delta: entry.sincePrevious.map { "+" + Elapsed.text($0) },
                type: entry.type.rawValue, summary: entry.summary, notes: entry.notes, flagged: entry.staleGap != nil)
        }
        let view = View(
            id: item.id, status: item.status.rawValue, facts: facts, spec: item.spec, error: item.error, verdict: timeline.verdict,
            svg: TimelinePicture(timeline, now: source.now(of: state)).svg, entries: entries,
            cancellable: canAct && WorkItemFilter.cancellableStatuses.contains(item.status),
            retryable: canAct && (item.status == .failed || item.status == .cancelled
                || (item.status == .queued && (item.nextRetryAt.map { $0 > source.now(of: state) } ?? false))),
            prioritizable: canAct && (item.status == .queued || item.status == .assigned),
            priorities: Priority.allCases.map { Choice(value: $0.rawValue, selected: $0 == item.priority) },
            csrf: csrf)
        return Page(title: item.id, section: "/items", body: Templates.render("item", view), scope: "item:" + item.id)
    }
}
