import Foundation

/// Left-aligned columns of fixed widths; the last column takes the rest of the line.
struct Columns {
    var widths: [Int]

    func row(_ cells: [String]) -> String {
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index < widths.count, index < cells.count - 1 {
                line += cell.count >= widths[index] ? cell + " " : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            } else {
                line += cell
            }
        }
        return line
    }
}
