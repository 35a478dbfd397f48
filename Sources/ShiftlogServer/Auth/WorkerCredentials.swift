import Crypto
public import ShiftlogCore

/// Each spawned worker's credential: its id and an HMAC-SHA256 of the id under the
/// ``InstanceKey``, as `<worker id>.<base64url mac>`. Nothing is stored: the service checks a
/// credential by computing the MAC again, so the log never holds a secret and a restart
/// changes nothing.
///
/// whim's worker client sends no header and only joins `ORCHESTRATOR_URL` with the route, so
/// the credential travels in the URL a worker is given: `<public URL>/w/<credential>`. It is
/// also accepted as `Authorization: Bearer <credential>`.
public struct WorkerCredentials: Sendable {
    let key: InstanceKey

    /// Credentials derived from `key`: instances given the same key file accept each other's.
    public init(key: InstanceKey) {
        self.key = key
    }

    /// The credential of `workerId`.
    public func credential(for workerId: WorkerID) -> String {
        workerId + "." + mac(workerId)
    }

    /// The worker a credential was given to, or `nil` when it is not one of ours.
    public func worker(presenting credential: some StringProtocol) -> WorkerID? {
        guard let dot = credential.lastIndex(of: "."), dot != credential.startIndex else { return nil }
        let workerId = String(credential[..<dot])
        let presented = Array(credential[credential.index(after: dot)...].utf8)
        let expected = Array(mac(workerId).utf8)
        // Constant time in the length of the expected MAC: no early exit on the first difference.
        guard presented.count == expected.count else { return nil }
        var difference: UInt8 = 0
        for (a, b) in zip(presented, expected) { difference |= a ^ b }
        return difference == 0 ? workerId : nil
    }

    /// The base URL a worker is given: the service's public URL with its credential as a path prefix.
    public func orchestratorURL(base: String, for workerId: WorkerID) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/w/" + credential(for: workerId)
    }

    private func mac(_ workerId: WorkerID) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("shiftlog-worker:\(workerId)".utf8), using: key.key)
        return code.withUnsafeBytes { Self.base64URL($0) }
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding (RFC 4648 §5). Every request checks a credential, and
    /// Foundation's base64 with three `replacingOccurrences` cost more than the MAC itself.
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        let alphabet = base64URLAlphabet
        return String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { out in
            var written = 0
            var index = 0
            while index < bytes.count {
                let left = bytes.count - index
                let b0 = UInt32(bytes[index])
                let b1 = left > 1 ? UInt32(bytes[index + 1]) : 0
                let b2 = left > 2 ? UInt32(bytes[index + 2]) : 0
                let group = b0 << 16 | b1 << 8 | b2
                let characters = left >= 3 ? 4 : left + 1
                for k in 0..<characters {
                    out[written] = alphabet[Int(group >> UInt32(18 - 6 * k) & 0x3F)]
                    written += 1
                }
                index += 3
            }
            return written
        }
    }
}
