/// Arithmetic that stops at the type's limits instead of trapping. The core uses it wherever
/// an operand comes from outside (a recorded event, a configuration, a command), so that no
/// value, however large, can bring a fold, a query or a decision down.
extension FixedWidthInteger {
    /// `self + other`, or the nearest limit when that overflows.
    @inlinable
    public func addingSaturating(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, or the nearest limit when that overflows.
    @inlinable
    public func subtractingSaturating(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other > 0 ? .min : .max
    }

    /// `self * other`, or the nearest limit when that overflows.
    @inlinable
    public func multipliedSaturating(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
