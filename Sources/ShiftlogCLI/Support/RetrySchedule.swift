/// How long the sample worker waits before trying a call again: 100 ms, doubling to at most
/// 5 s between tries, and no new try once `giveUpAfter` has passed since the first.
struct RetrySchedule: Sendable, Equatable {
    var first: Duration = .milliseconds(100)
    var longest: Duration = .seconds(5)
    var giveUpAfter: Duration = .seconds(60)

    /// The wait before try `attempt + 1`, or `nil` to give up; `elapsed` is the time since
    /// the first try began.
    func wait(after attempt: Int, elapsed: Duration) -> Duration? {
        let doubled = first * (1 << min(attempt, 20))
        let wait = min(doubled, longest)
        return elapsed + wait <= giveUpAfter ? wait : nil
    }
}
