import CCRC32C

/// CRC-32C (Castagnoli), the checksum of every stored record (computed in C, with the CPU's
/// instruction where it has one).
enum CRC32C {
    static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return seed }
        return ~shiftlog_crc32c_extend(~seed, base, bytes.count)
    }

    static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
