import Foundation
import PropertyBased
@testable import ShiftlogCore
import Synchronization
import Testing

/// The fast heartbeat codec must give exactly the general codec's bytes and values, or step
/// aside (`nil`) and let the general one answer.
@Suite struct HeartbeatCodecTests {
    /// Strings with nothing to escape (slashes and non-ASCII included)...
    static let alphabet = Array("ab-_/é😀 09:.")
    static let text = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.array(of: 0...12).map { String($0) }
    /// ...and, half the time, one character that must be escaped, put into the worker id.
    static let escaped = Gen.int(in: 0...7).map { $0 < 4 ? ["\"", "\\", "\n", "\t"][$0] : "" }
    static let heartbeat = zip(
        zip(text, escaped).map { $0 + $1 }, text, Gen.int(in: -5...1_000_000), text.optional,
        Gen.int(in: 0...Int.max).optional, Gen.int(in: -3...3).optional)

    @Test func encodesWhatTheGeneralEncoderEncodesOrStepsAside() async {
        let fastPaths = Mutex(0)
        await propertyCheck(count: 500, input: Self.heartbeat) { worker, item, iteration, status, tokensIn, tokensOut in
            let e = HeartbeatRecorded(
                workerId: worker, workItemId: item, iteration: iteration, status: status, tokensIn: tokensIn, tokensOut: tokensOut)
            let general = try! Array(CanonicalJSON.compactEncoder().encode(e))
            if let fast = HeartbeatCodec.encode(e) {
                fastPaths.withLock { $0 += 1 }
                #expect(fast == general, "\(String(decoding: fast, as: UTF8.self)) vs \(String(decoding: general, as: UTF8.self))")
            } else {
                #expect([worker, item, status ?? ""].contains { $0.contains { "\"\\\n\t".contains($0) } }, "stepped aside for \(e)")
            }
            // Decoding the general encoder's bytes: the same value, or a step aside (escapes).
            if let decoded = HeartbeatCodec.decode(general) { #expect(decoded == e) }
            #expect(try! EventCodec.decodePayload(typeName: "heartbeatRecorded", schemaVersion: 1, payload: general) == .heartbeatRecorded(e))
        }
        #expect(fastPaths.withLock { $0 } > 150, "the fast path was exercised")
    }

    @Test func anythingUnusualIsLeftToTheGeneralDecoder() {
        for payload in [
            #"{"iteration":1,"workItemId":"i","workerId":"w","extra":1}"#,  // unknown key: JSONDecoder ignores it
            #"{"iteration":1.5,"workItemId":"i","workerId":"w"}"#,
            #"{"iteration":01,"workItemId":"i","workerId":"w"}"#,
            #"{"iteration":1,"workItemId":"i"}"#,
            #"{ "iteration":1,"workItemId":"i","workerId":"w"}"#,
            #"{"iteration":99999999999999999999,"workItemId":"i","workerId":"w"}"#,
            #"{"iteration":1,"workItemId":"i","workerId":"w"} "#,
        ] {
            #expect(HeartbeatCodec.decode(Array(payload.utf8)) == nil, "\(payload)")
        }
        #expect(HeartbeatCodec.decode(Array(#"{"iteration":-2,"status":null,"workItemId":"i","workerId":"w"}"#.utf8))
            == HeartbeatRecorded(workerId: "w", workItemId: "i", iteration: -2, status: nil, tokensIn: nil, tokensOut: nil))
        // The general decoder still names the problem.
        #expect(throws: EventDecodingError.self) {
            try EventCodec.decodePayload(typeName: "heartbeatRecorded", schemaVersion: 1, payload: Array(#"{"iteration":1}"#.utf8))
        }
    }
}
