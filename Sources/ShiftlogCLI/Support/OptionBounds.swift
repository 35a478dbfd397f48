import ArgumentParser

/// Refuses a numeric option outside `range` with a `ValidationError` (exit status 64) that
/// names the option and the range, before anything is opened. The ranges are the core's
/// ``NumericBounds`` where the option is a lifecycle rule, so a value `decide` would refuse,
/// or that would overflow a time, never gets as far as a computation.
func checkOption<Value: BinaryInteger>(
    _ value: Value?, in range: ClosedRange<Value>, _ option: String, unit: String = ""
) throws {
    guard let value, !range.contains(value) else { return }
    let suffix = unit.isEmpty ? "" : " " + unit
    throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)\(suffix), got \(value)")
}
