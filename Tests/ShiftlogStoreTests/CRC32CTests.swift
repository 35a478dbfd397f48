@testable import ShiftlogStore
import Testing

/// Known answers of CRC-32C (RFC 3720, appendix B.4, and the usual check value).
@Suite struct CRC32CTests {
    @Test func knownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0...31)) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    /// A checksum extended piece by piece equals the checksum of the whole, at every split
    /// (the eight-byte steps and the tail bytes meet everywhere).
    @Test func extendingEqualsTheWhole() {
        let bytes = (0..<61).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            #expect(CRC32C.checksum(Array(bytes[split...]), seed: CRC32C.checksum(Array(bytes[..<split]))) == whole)
        }
    }
}
