// libFuzzer harness: a `--store` / `SHIFTLOG_STORE` value to `PostgresLocation`. Any input
// may be refused with a `StoreError`; an accepted one must have a host and a port in range,
// print without its password, and print as a URL that reads back to the same place.
import FuzzSupport
import ShiftlogPostgres

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    guard let location = try? PostgresLocation(url: text) else { return 0 }
    precondition((1...65_535).contains(location.port), "\(text): port \(location.port) accepted")
    precondition(!location.host.isEmpty, "\(text): an empty host accepted")
    var otherPassword = location
    otherPassword.password = (location.password ?? "") + "-other"
    precondition(otherPassword.description == location.description, "\(text): the description depends on the password")
    // The description is what logs and messages show; it must read back to the same place
    // when its parts need no escaping (a host or role with URL syntax in it prints as is).
    if let again = try? PostgresLocation(url: location.description) {
        precondition(
            again.port == location.port && again.schema == location.schema,
            "\(text): prints as \(location.description), which reads back differently")
    }
    return 0
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzStoreURL) }
}
