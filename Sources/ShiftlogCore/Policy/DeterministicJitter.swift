/// The jitter of a retry's wait, drawn from the item's id and the retry's number instead of a
/// random source: the same item's same retry always waits the same, so a replay is
/// byte-identical and `what-if` can change the jitter and see what follows. Two items failing
/// together still spread out, since their ids differ.
public enum DeterministicJitter {
    /// `seconds` moved by up to `perMille` thousandths of itself, up or down: a draw `u` in
    /// [0, 1) from the FNV-1a hash of `"<item>#<retry>"` gives `seconds × (1 + f × (2u − 1))`,
    /// rounded down to a whole second. 0 ‰ leaves `seconds` as it is.
    public static func apply(perMille: Int64, to seconds: Int64, item: WorkItemID, retry: Int) -> Int64 {
        guard perMille > 0, seconds > 0 else { return seconds }
        let draw = Int128(fnv1a("\(item)#\(retry)") >> 32)  // 0 ..< 2^32
        let span = Int128(1) << 32
        // seconds × perMille/1000 × (2·draw − span)/span, in integers.
        let offset = Int128(seconds) * Int128(perMille) * (2 * draw - span) / (1_000 * span)
        return Int64(max(0, Int128(seconds) + offset))
    }

    /// The 64-bit FNV-1a hash of the text's UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
