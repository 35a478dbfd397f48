/// The name in `names` nearest `word`, at most two edits away (insertions, deletions,
/// substitutions), for a "did you mean" after a misspelt setting.
func nearestName(to word: String, among names: [String]) -> String? {
    let wanted = Array(word)
    func distance(_ name: String) -> Int {
        let other = Array(name)
        var row = Array(0...other.count)
        for (i, a) in wanted.enumerated() {
            var next = [i + 1]
            for (j, b) in other.enumerated() { next.append(min(row[j + 1] + 1, next[j] + 1, row[j] + (a == b ? 0 : 1))) }
            row = next
        }
        return row[other.count]
    }
    return names.map { ($0, distance($0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
}
