import Foundation

/// whim's default branch for a new item: a slug of the spec's first `### Tn: title` heading,
/// else its first H1 or H2 heading, at most 30 characters; `task` when there is none.
enum BranchName {
    static func `default`(forSpec spec: String) -> String {
        let lines = spec.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        let task = lines.first { line in
            guard line.hasPrefix("### T") else { return false }
            let rest = line.dropFirst(5)
            let digits = rest.prefix { $0.isNumber }
            return !digits.isEmpty && rest.dropFirst(digits.count).hasPrefix(":")
        }
        let heading = task.map { String($0.drop { $0 != ":" }.dropFirst()) }
            ?? lines.first { $0.hasPrefix("# ") || $0.hasPrefix("## ") }.map { String($0.drop { $0 == "#" }) }
        guard let heading else { return "task" }
        var slug = ""
        var lastWasDash = true
        for character in heading.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
                lastWasDash = false
            } else if !lastWasDash {
                slug.append("-")
                lastWasDash = true
            }
        }
        slug = String(slug.prefix(30))
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "task" : slug
    }
}
