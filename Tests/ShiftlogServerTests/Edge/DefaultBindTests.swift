import Foundation
import NIOHTTP1
import ShiftlogCore
import ShiftlogEngine
import ShiftlogServer
import ShiftlogStore
import Testing

/// Issue 22 §4: `HOST` defaulted to 0.0.0.0, so without `API_KEY` the management routes were
/// open to the network. Without a key the default is now 127.0.0.1; `HOST` still decides.
@Suite("The default address")
struct DefaultBindTests {
    @Test func withoutAKeyOnlyThisMachine() throws {
        #expect(try ServeEnvironment([:]).server.host == "127.0.0.1")
    }

    @Test func withAKeyEveryInterface() throws {
        #expect(try ServeEnvironment(["API_KEY": "s3cret"]).server.host == "0.0.0.0")
    }

    @Test func hostDecidesEitherWay() throws {
        #expect(try ServeEnvironment(["HOST": "0.0.0.0"]).server.host == "0.0.0.0")
        #expect(try ServeEnvironment(["HOST": "127.0.0.1", "API_KEY": "s3cret"]).server.host == "127.0.0.1")
    }
}
