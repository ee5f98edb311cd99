/// Columns padded to a common width; cells may carry ANSI codes, which take no width.
struct TextTable {
    struct Cell {
        var plain: String
        var styled: String
        init(_ plain: String, styled: String? = nil) {
            self.plain = plain
            self.styled = styled ?? plain
        }
    }

    var rows: [[Cell]]
    /// Columns whose index is here are right-aligned (figures).
    var rightAligned: Set<Int> = []

    init(rows: [[Cell]], rightAligned: Set<Int> = []) {
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// Unstyled cells, the first row usually a header.
    init(plain rows: [[String]], rightAligned: Set<Int> = []) {
        self.init(rows: rows.map { $0.map { Cell($0) } }, rightAligned: rightAligned)
    }

    /// A table of figures: names in the first column, left-aligned; every other column right-aligned.
    static func figures(_ rows: [[String]]) -> TextTable {
        TextTable(plain: rows, rightAligned: Set(1 ..< max(1, rows.map(\.count).max() ?? 0)))
    }

    func lines(indent: String = "  ") -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        let widths = (0 ..< columns).map { c in rows.map { c < $0.count ? $0[c].plain.count : 0 }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: max(0, widths[c] - cell.plain.count))
                let isLast = c == row.count - 1
                return rightAligned.contains(c) ? pad + cell.styled : cell.styled + (isLast ? "" : pad)
            }
            return indent + cells.joined(separator: "  ")
        }
    }
}
