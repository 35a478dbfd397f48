import Foundation
import ShiftlogStore
import ShiftlogCore
import ShiftlogInspect
import ShiftlogEngine

/// Prints events as one readable line each, from where it last stopped.
final class Narrator {
    private let engine: Engine
    private var position: UInt64 = 0

    init(engine: Engine) {
        self.engine = engine
    }

    func flush() throws {
        for event in try engine.log.read(after: position, limit: .max) {
            print(String(format: "%4d  ", event.sequence) + Self.describe(event.event))
            position = event.sequence
        }
    }

    static func describe(_ event: Event) -> String {
        event.type.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + event.summary
    }
}
