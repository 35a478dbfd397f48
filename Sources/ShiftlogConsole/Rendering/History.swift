import Foundation
import ShiftlogCore
import ShiftlogInspect
import ShiftlogStore

/// A page shown as the log stood after one event (`?at=<sequence or time>`): the bar that says
/// so and steps one event back or forward, and every link and filter of the page kept at that
/// point (``linkingPages(_:)``). Actions are not offered in the past.
struct History {
    var sequence: UInt64
    var time: String
    var previous: String?
    var next: String?
    var present: String
    var path: String

    /// The sequence `text` names (`1234`, `#1234`, or a UTC time: the last event at or before
    /// it), at most `last`.
    static func resolve(_ text: String, in log: any EventLog, last: UInt64) throws -> UInt64 {
        guard let point = LogPoint(text) else {
            throw ConsoleError.badInput(
                "'at' \(ConsoleError.quoted(text)) is neither an event sequence (1234) nor a UTC time (2026-03-01T09:05:00Z).")
        }
        return min(try point.resolve(in: log), last)
    }

    /// The bar for event `sequence` of a log whose last is `last`, on the page at `path` with
    /// `query` (its other parameters are kept in the links).
    init(at sequence: UInt64, last: UInt64, time: Timestamp?, path: String, query: FormFields) {
        self.sequence = sequence
        self.time = time?.iso8601 ?? "before the first event"
        self.path = path
        let kept = query.values.filter { $0.key != "at" }.sorted { $0.key < $1.key }
        func link(_ at: UInt64?) -> String {
            let pairs = kept.map { ($0.key, $0.value) } + (at.map { [("at", String($0))] } ?? [])
            return path + (pairs.isEmpty ? "" : "?" + pairs.map { "\(FormFields.encoded($0.0))=\(FormFields.encoded($0.1))" }.joined(separator: "&"))
        }
        previous = sequence > 0 ? link(sequence - 1) : nil
        next = sequence < last ? link(sequence + 1) : nil
        let here = link(nil)
        present = here + (here.contains("?") ? "&" : "?") + "at=now"
    }

    /// `html` with every link to a console page and every filter form (its `<!--at-->` mark)
    /// kept at this point. Only the console's own markup holds `href="/`: a person's text is
    /// escaped (its quotes are `&quot;`), so it cannot be mistaken for a link.
    func linkingPages(_ html: String) -> String {
        var result = ""
        result.reserveCapacity(html.utf8.count + 1_024)
        var rest = html[...]
        let marker = #"href="/"#
        while let range = rest.range(of: marker) {
            result += rest[..<range.lowerBound]
            let end = rest[range.upperBound...].firstIndex(of: "\"") ?? rest.endIndex
            let target = "/" + rest[range.upperBound..<end]
            let untouched = target.hasPrefix("/assets/") || target.contains("at=")
            result += #"href=""# + target + (untouched ? "" : (target.contains("?") ? "&amp;" : "?") + "at=\(sequence)")
            rest = rest[end...]
        }
        result += rest
        return result.replacingOccurrences(of: "<!--at-->", with: #"<input type="hidden" name="at" value="\#(sequence)">"#)
    }
}
