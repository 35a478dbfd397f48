/// Fractions kept as whole thousandths (a jitter of 0.25 is 250 ‰; a factor of 1.5 is
/// 1,500 ‰), so that the log and every decision stay free of floating point.
public enum Thousandths {
    /// `value` in whole thousandths; `nil` when it is not finite, too large, or finer than a
    /// thousandth (`0.0005`), which would otherwise be rounded in silence.
    public static func from(_ value: Double) -> Int64? {
        guard value.isFinite, abs(value) < 9.0e12 else { return nil }
        let scaled = value * 1_000
        guard abs(scaled - scaled.rounded()) < 1e-6 else { return nil }
        return Int64(scaled.rounded())
    }

    /// `perMille` as a decimal, with no trailing zeros: 250 → `0.25`, 2000 → `2`.
    public static func text(_ perMille: Int64) -> String {
        let sign = perMille < 0 ? "-" : ""
        let magnitude = perMille.magnitude
        let whole = magnitude / 1_000, part = magnitude % 1_000
        guard part != 0 else { return "\(sign)\(whole)" }
        var digits = String(part)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }
}
