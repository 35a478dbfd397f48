/// Outside text as a message quotes it: in single quotes, cut to `limit` characters with
/// the full length said, so that a megabyte of input never becomes a megabyte of error
/// message (issue 22: `import` echoed a 1 MB event type to standard error).
///
/// Every message that repeats what a file, a request or a setting held uses it.
///
/// ```swift
/// quoted("workerRegistered")                    // 'workerRegistered'
/// quoted(String(repeating: "x", count: 5_000))  // 'xxx…xxx…' (5000 characters)
/// ```
public func quoted(_ text: some StringProtocol, limit: Int = 60) -> String {
    var count = 0
    var end = text.startIndex
    while end < text.endIndex, count < limit {
        end = text.index(after: end)
        count += 1
    }
    guard end < text.endIndex else { return "'\(text)'" }
    return "'\(text[..<end])…' (\(text.count) characters)"
}
