import PedigreeCompute
import PedigreeFormat
import PedigreeLineage

/// One panel per attributed reference: its share of the candidate's change for each
/// component, each block group and each block, with 95% intervals as whiskers, over lines
/// at 0, the policy's minimum and 100%. A block or component merge shows as some columns
/// at the top and the rest at zero; a uniform merge as a level row.
enum AttributionChart {
    static let width = 860.0
    static let plotLeft = 60.0
    static let plotRight = 840.0
    static let plotTop = 28.0
    static let plotHeight = 140.0
    static let labelSpace = 70.0

    struct Column {
        let label: String
        let kind: String
        let share: Double?
        let interval: IntervalPair?
    }

    static func columns(_ reference: ReferenceAttribution) -> [Column] {
        reference.components.map { Column(label: $0.name, kind: "component", share: $0.share, interval: $0.interval) }
            + reference.groups.map { Column(label: $0.name, kind: "group", share: $0.share, interval: $0.interval) }
            + reference.blocks.map { Column(label: ReportVocabulary.shortBlockLabel($0.name), kind: "block", share: $0.share, interval: $0.interval) }
    }

    static func svgPanel(_ reference: ReferenceAttribution, minimumShare: Double?) -> String? {
        let columns = columns(reference)
        guard !columns.isEmpty else { return nil }
        // The axis always shows 0–100%; it widens to fit what lies outside (add-difference
        // above 1, a negative projection below 0), within −50%…150%.
        let values = columns.flatMap { [$0.share, $0.interval?.low, $0.interval?.high].compactMap { $0 } }.filter(\.isFinite)
        let low = max(-0.5, min(-0.1, (values.min() ?? 0) - 0.05))
        let high = min(1.5, max(1.1, (values.max() ?? 1) + 0.05))
        let bottom = plotTop + plotHeight
        func y(_ v: Double) -> Double { bottom - (min(max(v, low), high) - low) / (high - low) * plotHeight }
        let step = (plotRight - plotLeft) / Double(columns.count)
        func x(_ i: Int) -> Double { plotLeft + step * (Double(i) + 0.5) }
        let whose = reference.ancestor.map { "\(reference.id)'s change from \($0)" } ?? "\(reference.id)'s line"
        let title = "\(whose): \(ShareText.share(reference.share, reference.interval)) of the whole model"
        var out = ["<svg class=\"chart\" viewBox=\"0 0 \(ReportNumbers.svg(width)) \(ReportNumbers.svg(bottom + labelSpace))\" role=\"img\" aria-label=\"\(HTMLEscaping.escape("Share per component, block group and block: " + title))\" xmlns=\"http://www.w3.org/2000/svg\">"]
        out.append("<text class=\"bold\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"16\">\(HTMLEscaping.escape(HTMLRenderer.truncated(title, to: 110)))</text>")
        out.append("<rect class=\"panel\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"\(ReportNumbers.svg(plotTop))\" width=\"\(ReportNumbers.svg(plotRight - plotLeft))\" height=\"\(ReportNumbers.svg(plotHeight))\"/>")
        var lines: [(Double, String)] = [(0, "0%"), (1, "100%")]
        if let minimumShare { lines.append((minimumShare, "minimum \(ReportNumbers.threshold(minimumShare * 100))%")) }
        for (value, label) in lines {
            out.append("<line class=\"threshold\" x1=\"\(ReportNumbers.svg(plotLeft))\" y1=\"\(ReportNumbers.svg(y(value)))\" x2=\"\(ReportNumbers.svg(plotRight))\" y2=\"\(ReportNumbers.svg(y(value)))\"/>")
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(plotLeft - 6))\" y=\"\(ReportNumbers.svg(y(value) + 3.5))\" text-anchor=\"end\">\(HTMLEscaping.escape(label))</text>")
        }
        for (index, column) in columns.enumerated() {
            let tip = "\(column.kind) \(column.label): \(ShareText.share(column.share, column.interval))"
            if let share = column.share, share.isFinite {
                if let interval = column.interval {
                    out.append("<line class=\"whisker\" x1=\"\(ReportNumbers.svg(x(index)))\" y1=\"\(ReportNumbers.svg(y(interval.low)))\" x2=\"\(ReportNumbers.svg(x(index)))\" y2=\"\(ReportNumbers.svg(y(interval.high)))\"/>")
                }
                let clears = (column.interval?.low ?? -.infinity) >= (minimumShare ?? .infinity)
                out.append("<circle class=\"\(clears ? "fill-too_close" : "fill-distant")\" cx=\"\(ReportNumbers.svg(x(index)))\" cy=\"\(ReportNumbers.svg(y(share)))\" r=\"\(column.kind == "block" ? "3" : "4.5")\"><title>\(HTMLEscaping.escape(tip))</title></circle>")
            }
            let labelY = bottom + 12
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(x(index)))\" y=\"\(ReportNumbers.svg(labelY))\" text-anchor=\"end\" transform=\"rotate(-60 \(ReportNumbers.svg(x(index))) \(ReportNumbers.svg(labelY)))\">\(HTMLEscaping.escape(HTMLRenderer.truncated(column.label, to: 18)))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }
}
