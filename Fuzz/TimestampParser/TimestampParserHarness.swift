// libFuzzer harness: ISO-8601 text to `Timestamp`. Any input may be refused; an accepted one
// must lie in the supported range and print and parse back to itself.
import FuzzSupport
import ShiftlogCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestampParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: data == nil ? 0 : size), as: UTF8.self)
    guard let time = Timestamp(iso8601: text) else { return 0 }
    precondition(Timestamp.supportedRange.contains(time), "\(text) parsed outside the supported range")
    precondition(Timestamp(iso8601: time.iso8601) == time, "\(text) does not print and parse back")
    precondition(time.iso8601.hasPrefix(time.utcDay), "\(text): the UTC day disagrees with the time")
    return 0
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzTimestampParser) }
}
