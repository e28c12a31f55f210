/// A plain-text table with right-aligned numeric columns, as every `pcaa bench` prints.
public struct BenchTable: Sendable {
    public let title: String
    public let columns: [String]
    public private(set) var rows: [[String]] = []

    public init(title: String, columns: [String]) {
        self.title = title
        self.columns = columns
    }

    public mutating func add(_ cells: [String]) { rows.append(cells) }

    public func render() -> String {
        let widths = columns.indices.map { index in
            ([columns[index]] + rows.map { index < $0.count ? $0[index] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([title, line(columns), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Number formatting for bench figures.
enum Figure {
    static func rate(_ value: Double) -> String { value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value) }
    static func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.2f", $0 * 1000) } ?? "-" }
    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
    static func ratio(_ value: Double, floor: Double) -> String { floor > 0 ? String(format: "%.2f", value / floor) : "-" }
    static func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}
