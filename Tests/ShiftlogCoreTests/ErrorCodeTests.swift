import Foundation
import ShiftlogCore
import Testing

/// `LifecycleError.Code` is a struct over a private enum (so a new code is not a breaking
/// change), yet it reads, prints and encodes exactly as the enum it replaced.
@Suite struct ErrorCodeTests {
    @Test func aCodeDescribesItselfByItsName() {
        #expect(LifecycleError.Code.workerNotFound.description == "workerNotFound")
        #expect("\(LifecycleError.Code.dailyBudgetExhausted)" == "dailyBudgetExhausted")
        #expect(LifecycleError(.workerNotFound, "no worker 'w1'").description == "workerNotFound: no worker 'w1'")
        #expect(LifecycleError.Code.invalidState != .noContainer)
    }

    @Test func aCodeMatchesInASwitchWithADefault() {
        func kind(_ code: LifecycleError.Code) -> String {
            switch code {
            case .workerNotFound, .workItemNotFound: "missing"
            case .capacityExceeded: "full"
            default: "other"
            }
        }
        #expect(kind(.workItemNotFound) == "missing")
        #expect(kind(.capacityExceeded) == "full")
        #expect(kind(.cooldownActive) == "other")
    }

    @Test func anErrorEncodesItsCodeAsAString() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let error = LifecycleError(.cooldownActive, "wait")
        let json = String(decoding: try encoder.encode(error), as: UTF8.self)
        #expect(json == #"{"code":"cooldownActive","message":"wait"}"#)
        #expect(try JSONDecoder().decode(LifecycleError.self, from: Data(json.utf8)) == error)
    }

    @Test func anUnknownCodeDoesNotDecode() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LifecycleError.self, from: Data(#"{"code":"noSuchCode","message":"x"}"#.utf8))
        }
    }

    @Test func everyCodeMapsToAnAPICode() {
        let codes: [LifecycleError.Code] = [
            .validationFailed, .workerNotFound, .workItemNotFound, .workerNotActive, .invalidState,
            .capacityExceeded, .cooldownActive, .dailyBudgetExhausted, .noContainer,
        ]
        #expect(codes.map { LifecycleError($0, "").apiCode } == [
            "VALIDATION_ERROR", "NOT_FOUND", "NOT_FOUND", "INVALID_STATE", "INVALID_STATE",
            "CAPACITY_EXHAUSTED", "CAPACITY_EXHAUSTED", "CAPACITY_EXHAUSTED", "INVALID_STATE",
        ])
    }
}
