#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Crypto

/// The secret every worker credential is derived from. It lives in a file of its own beside
/// the log (`instance.key`, mode 0600), never in the log or a snapshot, so a copy of the log
/// given to someone for an incident holds no credential, and a restarted service still
/// recognises the credentials it gave out.
public struct InstanceKey: Sendable {
    private let bytes: [UInt8]

    /// The key for HMAC.
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// The name of the file in the data folder.
    public static let fileName = "instance.key"

    /// A key of `bytes`, e.g. a fixed one in tests; a service reads or makes its key with
    /// ``loadOrCreate(in:)`` (32 random bytes).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the key in `folder`, or creates it (32 random bytes, owner-only) on first start.
    /// A key file that others can read, or that is not 64 hex digits, is refused.
    public static func loadOrCreate(in folder: String) throws -> InstanceKey {
        let path = folder + "/" + fileName
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & 0o077 == 0 else {
                throw ServeError("\(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); run `chmod 600 \(path)`")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let bytes = Self.hexBytes(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
            else { throw ServeError("\(path) is not a Shiftlog instance key (64 hex digits)") }
            return InstanceKey(bytes: bytes)
        }
        let fresh = SymmetricKey(size: .bits256)
        let hex = fresh.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServeError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = hex.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == hex.utf8.count, fsync(fd) == 0 else {
            throw ServeError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return InstanceKey(bytes: fresh.withUnsafeBytes { Array($0) })
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
