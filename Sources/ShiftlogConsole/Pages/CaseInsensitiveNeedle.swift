/// Text to find in ids, specs and errors regardless of case, without lowercasing (copying) each
/// one: ASCII letters are compared folded, byte by byte over UTF-8; a needle with other letters
/// falls back to comparing lowercased copies.
struct CaseInsensitiveNeedle: Sendable {
    private let text: String
    private let folded: [UInt8]
    private let isASCII: Bool

    init(_ text: String) {
        self.text = text.lowercased()
        folded = Array(self.text.utf8)
        isASCII = text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether the needle occurs in `haystack`, ignoring case.
    func isFound(in haystack: String) -> Bool {
        guard !folded.isEmpty else { return true }
        guard isASCII else { return haystack.lowercased().contains(text) }
        var haystack = haystack
        return haystack.withUTF8 { bytes in
            guard bytes.count >= folded.count else { return false }
            let first = folded[0]
            for start in 0...(bytes.count - folded.count) where Self.fold(bytes[start]) == first {
                var index = 1
                while index < folded.count, Self.fold(bytes[start + index]) == folded[index] { index += 1 }
                if index == folded.count { return true }
            }
            return false
        }
    }

    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
