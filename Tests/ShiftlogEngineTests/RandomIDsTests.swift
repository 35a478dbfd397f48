import Foundation
import ShiftlogCore
import ShiftlogEngine
import Testing

/// Production ids: lowercase version-4 UUIDs, distinct.
@Suite struct RandomIDsTests {
    @Test func idsAreDistinctLowercaseVersionFourUUIDs() {
        let ids = RandomIDs()
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = ids.next(.command)
            #expect(seen.insert(id).inserted, "\(id) repeated")
            guard let uuid = UUID(uuidString: id) else {
                Issue.record("\(id) is not a UUID")
                return
            }
            #expect(uuid.uuidString.lowercased() == id)
            #expect(uuid.uuid.6 >> 4 == 4, "version 4: \(id)")
            #expect(uuid.uuid.8 >> 6 == 0b10, "RFC 4122 variant: \(id)")
        }
        // Two generators (two engines) do not repeat each other.
        let other = RandomIDs()
        #expect(!seen.contains(other.next(.worker)))
    }
}
