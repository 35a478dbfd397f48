public import ShiftlogCore
import Synchronization

/// Random version-4 UUIDs (lowercase), for production: 122 bits from a xoshiro256** generator
/// seeded once from the system's (`getrandom`). Ids must not collide; nothing needs them to be
/// unguessable, and a system call for every id was a visible part of the writer's time.
public struct RandomIDs: IDSource {
    private let generator = SharedGenerator()

    /// A source seeded from the system's random numbers.
    public init() {}

    /// A new random UUID, whatever the `kind`.
    public func next(_ kind: IDKind) -> String {
        let (high, low) = generator.next()
        // Version 4 in the high word's 13th nibble, the RFC 4122 variant in the low word's top bits.
        let versioned = high & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let varied = low & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { out in
            var position = 0
            func put(_ word: UInt64, nibbles: Range<Int>) {
                for nibble in nibbles {
                    if position == 8 || position == 13 || position == 18 || position == 23 {
                        out[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * nibble) & 0xF)
                    out[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                    position += 1
                }
            }
            put(versioned, nibbles: 0..<16)
            put(varied, nibbles: 0..<16)
            return position
        }
    }
}

/// xoshiro256** (Blackman and Vigna) behind a lock, shared by the copies of one `RandomIDs`.
private final class SharedGenerator: Sendable {
    private let state: Mutex<(UInt64, UInt64, UInt64, UInt64)>

    init() {
        var system = SystemRandomNumberGenerator()
        var seed = (system.next() as UInt64, system.next() as UInt64, system.next() as UInt64, system.next() as UInt64)
        if seed == (0, 0, 0, 0) { seed.0 = 1 }  // the one state the generator cannot leave
        state = Mutex(seed)
    }

    func next() -> (UInt64, UInt64) {
        state.withLock { s in
            func step() -> UInt64 {
                let result = (s.1 &* 5).rotated(7) &* 9
                let t = s.1 << 17
                s.2 ^= s.0
                s.3 ^= s.1
                s.1 ^= s.2
                s.0 ^= s.3
                s.2 ^= t
                s.3 = s.3.rotated(45)
                return result
            }
            return (step(), step())
        }
    }
}

extension UInt64 {
    fileprivate func rotated(_ bits: UInt64) -> UInt64 { self << bits | self >> (64 - bits) }
}
