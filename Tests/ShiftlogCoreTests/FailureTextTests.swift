@testable import ShiftlogCore
import Testing

/// The text `decide` folds into a failure's error is Shiftlog's own canonical JSON, so the
/// same log re-decides to the same bytes on any toolchain.
@Suite struct FailureTextTests {
    @Test func aFailuresContextIsWrittenInTheCanonicalForm() {
        let given = Given([.workItemAdded(.item("item-1")), .spawned("worker-1", for: "item-1")])
        let context: [String: JSONValue] = [
            "zeta": .array([.integer(-3), .number(0.1), .number(1e21), .number(2), .bool(true), .null]),
            "path": .string("src/a \"b\"\\c/d\n\t\u{01}é"),
            "Alpha": .object(["b": .integer(2), "a": .string("x")]),
        ]
        let when = given.when(.fail(workerId: "worker-1", Failure(error: "boom", iteration: 0, category: .timeout, context: context)))
        let expected = #"[TIMEOUT] boom context={"Alpha":{"a":"x","b":2},"path":"src/a \"b\"\\c/d\n\t\u0001é","zeta":[-3,0.1,1e+21,2.0,true,null]}"#
        guard case .success(let events) = when, case .workerFailed(let failed)? = events.first else {
            Issue.record("expected workerFailed, got \(when)")
            return
        }
        #expect(failed.error == expected)
    }

    @Test func keysAreSortedByTheirBytes() {
        #expect(JSONValue.canonicalText(of: ["é": .null, "z": .null, "Z": .null, "a": .null]) == #"{"Z":null,"a":null,"z":null,"é":null}"#)
    }
}
