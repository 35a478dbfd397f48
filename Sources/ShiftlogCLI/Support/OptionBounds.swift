import ArgumentParser

/// Refuses a numeric option outside `range` with a `ValidationError` (exit status 64) that
/// names the option and the range, before anything is opened, so a value that would overflow
/// a computation never gets as far as one. (A lifecycle rule is not an option: it is a
/// setting, checked by its declaration in `ShiftlogSettings`.)
func checkOption<Value: BinaryInteger>(
    _ value: Value?, in range: ClosedRange<Value>, _ option: String, unit: String = ""
) throws {
    guard let value, !range.contains(value) else { return }
    let suffix = unit.isEmpty ? "" : " " + unit
    throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)\(suffix), got \(value)")
}
