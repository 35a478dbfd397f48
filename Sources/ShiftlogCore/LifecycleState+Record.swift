extension LifecycleState {
    /// The time to decide at: `now`, or the last event's time if the clock went backwards.
    /// Times in a log never go backwards.
    public func decisionTime(_ now: Timestamp) -> Timestamp {
        max(now, lastEventTime ?? Timestamp(millisecondsSinceEpoch: .min))
    }

    /// Numbers `events` after the last sequence, folds them in, and returns them as they
    /// are to be stored. The one place a decision's events become recorded events.
    public mutating func record(
        _ events: [Event], at time: Timestamp, correlationId: String, causationId: String? = nil
    ) -> [RecordedEvent] {
        events.map { event in
            let recorded = RecordedEvent(
                sequence: lastSequence + 1, time: time, correlationId: correlationId, causationId: causationId, event: event)
            apply(recorded)
            return recorded
        }
    }
}
