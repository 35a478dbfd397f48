import Foundation
import ShiftlogCore
import ShiftlogEngine

/// A scenario file (`Fixtures/Scenarios/*.scenario`), parsed.
///
/// ```
/// # comments start with '#'
/// title: Spawn failure rolls the worker back
/// start: 2026-03-01T09:00:00Z
/// config: maxWorkers=2 cooldownSeconds=0
///
/// at 0s  add repo=acme/web priority=high
/// at 1s  runtime.start fail="image not found"
/// at 1s  spawn item-1
/// at 5m  tick
/// ```
/// Each step runs at `start` + its offset (`90s`, `5m`, `1h30m`, `1d`); offsets never go
/// back. Values with spaces are quoted. Unknown commands or keys are errors naming the line.
struct ScenarioScript {
    var title: String
    var start: Timestamp
    var configuration: EngineConfiguration
    var steps: [Step]

    struct Step {
        var line: Int
        var offsetSeconds: Int64
        var text: String
        var verb: String
        var positional: [String]
        var options: [String: String]
    }

    struct ParseError: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    static func parse(_ text: String, file: String) throws -> ScenarioScript {
        // Reconciliation runs only where a step asks for it, so every run is the same.
        var configuration = EngineConfiguration()
        configuration.reconcileInterval = nil
        var script = ScenarioScript(
            title: "", start: Timestamp(iso8601: "2026-03-01T09:00:00Z")!, configuration: configuration, steps: [])
        var lastOffset: Int64 = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ message: String) -> ParseError { ParseError(file: file, line: lineNumber, message: message) }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("title:") {
                script.title = String(line.dropFirst(6)).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("start:") {
                let value = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
                guard let start = Timestamp(iso8601: value) else { throw fail("'\(value)' is not an ISO-8601 UTC time") }
                script.start = start
            } else if line.hasPrefix("config:") {
                let tokens = try tokenize(String(line.dropFirst(7)), fail)
                for token in tokens {
                    guard let (key, value) = split(token) else { throw fail("config wants key=value, got '\(token)'") }
                    try apply(key, value, to: &script.configuration, fail)
                }
            } else if line.hasPrefix("at ") {
                var tokens = try tokenize(String(line.dropFirst(3)), fail)
                guard tokens.count >= 2 else { throw fail("a step is 'at <offset> <command> [arguments]'") }
                guard let offset = duration(tokens.removeFirst()) else { throw fail("bad offset; use e.g. 90s, 5m, 1h30m") }
                guard offset >= lastOffset else { throw fail("steps must not go back in time") }
                lastOffset = offset
                let verb = tokens.removeFirst()
                var positional: [String] = []
                var options: [String: String] = [:]
                for token in tokens {
                    if let (key, value) = split(token) { options[key] = value } else { positional.append(token) }
                }
                let text = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).joined(separator: " ")
                script.steps.append(Step(
                    line: lineNumber, offsetSeconds: offset, text: text, verb: verb, positional: positional, options: options))
            } else {
                throw fail("expected 'title:', 'start:', 'config:' or 'at <offset> …'")
            }
        }
        return script
    }

    /// Splits on spaces, keeping "quoted strings" (with \" escapes) together.
    private static func tokenize(_ text: String, _ fail: (String) -> ParseError) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        var any = false
        for char in text {
            if escaped {
                current.append(char)
                escaped = false
            } else if char == "\\" && quoted {
                escaped = true
            } else if char == "\"" {
                quoted.toggle()
                any = true
            } else if char == " " && !quoted {
                if any || !current.isEmpty { tokens.append(current) }
                current = ""
                any = false
            } else {
                current.append(char)
            }
        }
        guard !quoted else { throw fail("unclosed quote") }
        if any || !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func split(_ token: String) -> (String, String)? {
        guard let equals = token.firstIndex(of: "="), equals != token.startIndex else { return nil }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    /// `90s`, `5m`, `1h30m`, `1d2h` → seconds.
    static func duration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64?
        for char in text {
            if let digit = char.wholeNumberValue {
                number = (number ?? 0) * 10 + Int64(digit)
                continue
            }
            guard let value = number else { return nil }
            switch char {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3_600
            case "d": total += value * 86_400
            default: return nil
            }
            number = nil
        }
        return number == nil ? total : (number == 0 ? 0 : nil)
    }

    private static func apply(
        _ key: String, _ value: String, to configuration: inout EngineConfiguration, _ fail: (String) -> ParseError
    ) throws {
        func int() throws -> Int {
            guard let number = Int(value) else { throw fail("\(key) wants a whole number, got '\(value)'") }
            return number
        }
        switch key {
        case "maxWorkers": configuration.lifecycle.maxWorkers = try int()
        case "cooldownSeconds": configuration.lifecycle.cooldownSeconds = Int64(try int())
        case "cancelGraceSeconds": configuration.lifecycle.cancelGraceSeconds = Int64(try int())
        case "endGraceSeconds": configuration.lifecycle.endGraceSeconds = Int64(try int())
        case "dailyBudget": configuration.lifecycle.dailyBudget = try int()
        case "staleThresholdSeconds": configuration.lifecycle.staleThresholdSeconds = Int64(try int())
        case "verificationStaleThresholdSeconds":
            configuration.lifecycle.verificationStaleThresholdSeconds = Int64(try int())
        case "maxRetries": configuration.lifecycle.maxRetries = try int()
        case "verificationMaxRetries": configuration.lifecycle.verificationMaxRetries = try int()
        case "defaultMaxIterations": configuration.lifecycle.defaultMaxIterations = try int()
        case "retryBackoffSeconds":
            let values = value.split(separator: ",").compactMap { Int64($0) }
            guard !values.isEmpty else { throw fail("retryBackoffSeconds wants e.g. 60,300,1800") }
            configuration.lifecycle.retryBackoffSeconds = values
        case "capturedLogLines": configuration.capturedLogLines = try int()
        case "startDeadlineSeconds": configuration.startDeadlineSeconds = Int64(try int())
        case "keepFinishedContainers": configuration.keepFinishedContainers = value == "true"
        case "workerImage": configuration.workerImage = value
        case "secret":
            guard let (name, secret) = split(value) else { throw fail("secret wants NAME=value") }
            configuration.workerEnvironment[name] = secret
        default: throw fail("unknown config key '\(key)'")
        }
    }
}
