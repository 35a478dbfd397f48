/// Durations as people read them: `850ms`, `42s`, `6m12s`, `2h05m`.
public enum Elapsed {
    /// `milliseconds` as a short duration: under a second in `ms`, under a minute in whole
    /// seconds, under an hour in minutes and seconds, else hours and minutes (truncated, not
    /// rounded).
    public static func text(_ milliseconds: Int64) -> String {
        if milliseconds < 1_000 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1_000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3_600 { return "\(seconds / 60)m" + (seconds % 60 == 0 ? "" : String(format2(seconds % 60)) + "s") }
        return "\(seconds / 3_600)h" + format2((seconds % 3_600) / 60) + "m"
    }

    private static func format2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
