/// Reading a duration as a number of seconds.
extension Swift.Duration {
    /// The duration in seconds, as a `Double`: for rates and reports.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
