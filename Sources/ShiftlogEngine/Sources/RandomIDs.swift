public import ShiftlogCore
import Foundation

/// Random UUIDs (lowercase), for production.
public struct RandomIDs: IDSource {
    public init() {}

    public func next(_ kind: IDKind) -> String {
        UUID().uuidString.lowercased()
    }
}
