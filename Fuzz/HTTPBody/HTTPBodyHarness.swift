// libFuzzer harness: an HTTP request body to `RequestBody`, then every field accessor on
// every field it holds (and on nested objects), and `POST /api/work`'s `WorkRequest.newItem`.
// Any input may be refused with an `APIError`; nothing may trap.
import FuzzSupport
import ShiftlogCore
import ShiftlogServer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let body = try? RequestBody.parse(bytes) else { return 0 }
    _ = try? WorkRequest.newItem(from: body)
    question(body, depth: 0)
    return 0
}

/// Asks every accessor about every field, as the routes do, with the limits they use.
private func question(_ body: RequestBody, depth: Int) {
    for name in body.fields.keys {
        _ = try? body.string(name, required: true, nonEmpty: true, maxLength: 200)
        _ = try? body.integer(name, in: 0...1_000, required: true)
        _ = try? body.integer(name, in: Int.min...Int.max)
        _ = try? body.bool(name)
        _ = try? body.strings(name, required: true, maxCount: 100, maxLength: 64)
        _ = try? body.rawObject(name)
        _ = body.raw(name)
        guard depth < 4 else { continue }
        if let nested = try? body.object(name) { question(nested, depth: depth + 1) }
        for nested in (try? body.objects(name, maxCount: 100)) ?? [] { question(nested, depth: depth + 1) }
    }
}

@main enum Harness {
    static func main() { FuzzInputs.main(fuzzHTTPBody) }
}
