/// A GFM pipe table. Cells arrive already escaped (`MarkdownEscaping`), because some hold
/// deliberate markup such as code spans.
struct MarkdownTable {
    enum Alignment { case left, right }

    var header: [String]
    var alignments: [Alignment]
    var rows: [[String]]

    init(_ header: [String], alignments: [Alignment]? = nil, rows: [[String]]) {
        self.header = header
        self.alignments = alignments ?? header.map { _ in .left }
        self.rows = rows
    }

    func lines() -> [String] {
        let rule = header.indices.map { i in (i < alignments.count && alignments[i] == .right) ? "---:" : "---" }
        return [row(header), row(rule)] + rows.map(row)
    }

    private func row(_ cells: [String]) -> String {
        let padded = cells + Array(repeating: "", count: max(0, header.count - cells.count))
        return "| " + padded.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |"
    }
}
