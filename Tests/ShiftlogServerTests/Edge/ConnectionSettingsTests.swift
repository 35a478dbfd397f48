import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// The network edge's settings: their defaults, and a value out of range stops the start
/// naming the variable.
@Suite("Connection settings")
struct ConnectionSettingsTests {
    @Test func defaultsBoundEveryConnection() throws {
        let settings = try ServeEnvironment([:]).server
        #expect(settings.requestHeaderTimeout == .seconds(10))
        #expect(settings.requestBodyTimeout == .seconds(30))
        #expect(settings.idleTimeout == .seconds(60))
        #expect(settings.maxConnections == 1_024)
    }

    @Test func valuesAreReadInSeconds() throws {
        let settings = try ServeEnvironment([
            "REQUEST_HEADER_TIMEOUT_SECONDS": "2", "REQUEST_BODY_TIMEOUT_SECONDS": "3", "IDLE_TIMEOUT_SECONDS": "4",
            "MAX_CONNECTIONS": "50",
        ]).server
        #expect(settings.requestHeaderTimeout == .seconds(2))
        #expect(settings.requestBodyTimeout == .seconds(3))
        #expect(settings.idleTimeout == .seconds(4))
        #expect(settings.maxConnections == 50)
    }

    @Test(arguments: [
        ("REQUEST_HEADER_TIMEOUT_SECONDS", "0"), ("REQUEST_BODY_TIMEOUT_SECONDS", "3601"), ("IDLE_TIMEOUT_SECONDS", "-1"),
        ("MAX_CONNECTIONS", "0"), ("MAX_CONNECTIONS", "many"),
    ])
    func aValueOutOfRangeIsRefusedByName(name: String, value: String) {
        #expect {
            _ = try ServeEnvironment([name: value])
        } throws: { error in
            (error as? ServeError)?.message.hasPrefix(name) == true
        }
    }
}
