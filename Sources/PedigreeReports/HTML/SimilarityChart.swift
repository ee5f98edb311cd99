import PedigreeLineage

/// Horizontal bars of each reference's mean cosine on the zoomed axis, over the shaded
/// bands, with 95% intervals as whiskers. Every bar also carries its figure and band in
/// text, so the chart reads without colour.
enum SimilarityChart {
    static let width = 860.0
    static let labelWidth = 250.0
    static let plotLeft = 260.0
    static let plotRight = 780.0
    static let rowHeight = 40.0
    static let top = 34.0

    static func svgChart(_ report: AuditReport) -> String {
        let scale = ChartScale(report.thresholds)
        let plotBottom = top + rowHeight * Double(report.references.count)
        let height = plotBottom + 34
        let x = { (v: Double) in scale.position(v, from: plotLeft, to: plotRight) }
        let description = report.references.map { "\($0.id) \(ReportNumbers.cosine($0.meanCosine)) \($0.band.displayName)" }.joined(separator: "; ")
        var out = ["<svg class=\"chart\" viewBox=\"0 0 \(ReportNumbers.svg(width)) \(ReportNumbers.svg(height))\" role=\"img\" aria-label=\"\(HTMLEscaping.escape("Mean cosine per reference: " + description))\" xmlns=\"http://www.w3.org/2000/svg\">"]

        // Bands behind everything, labelled along the top.
        for region in scale.regions {
            let x0 = x(region.from), x1 = x(region.to)
            out.append("<rect class=\"bg-\(region.band.rawValue)\" x=\"\(ReportNumbers.svg(x0))\" y=\"\(ReportNumbers.svg(top - 6))\" width=\"\(ReportNumbers.svg(x1 - x0))\" height=\"\(ReportNumbers.svg(plotBottom - top + 6))\"/>")
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg((x0 + x1) / 2))\" y=\"\(ReportNumbers.svg(top - 12))\" text-anchor=\"middle\">\(HTMLEscaping.escape(region.band.displayName))</text>")
        }
        for value in scale.gridLines {
            out.append("<line class=\"grid\" x1=\"\(ReportNumbers.svg(x(value)))\" y1=\"\(ReportNumbers.svg(plotBottom))\" x2=\"\(ReportNumbers.svg(x(value)))\" y2=\"\(ReportNumbers.svg(plotBottom + 4))\"/>")
        }
        for value in scale.ticks {
            let isBoundary = value > scale.low && value < scale.high
            if isBoundary {
                out.append("<line class=\"threshold\" x1=\"\(ReportNumbers.svg(x(value)))\" y1=\"\(ReportNumbers.svg(top - 6))\" x2=\"\(ReportNumbers.svg(x(value)))\" y2=\"\(ReportNumbers.svg(plotBottom))\"/>")
            }
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(x(value)))\" y=\"\(ReportNumbers.svg(plotBottom + 18))\" text-anchor=\"middle\">\(ReportNumbers.cosine(value))</text>")
        }
        out.append("<line class=\"axis\" x1=\"\(ReportNumbers.svg(plotLeft))\" y1=\"\(ReportNumbers.svg(plotBottom))\" x2=\"\(ReportNumbers.svg(plotRight))\" y2=\"\(ReportNumbers.svg(plotBottom))\"/>")

        for (index, reference) in report.references.enumerated() {
            out.append(contentsOf: bar(reference, row: index, scale: scale))
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    private static func bar(_ reference: ReferenceVerdict, row: Int, scale: ChartScale) -> [String] {
        let x = { (v: Double) in scale.position(v, from: plotLeft, to: plotRight) }
        let centre = top + rowHeight * (Double(row) + 0.5)
        let barHeight = 18.0
        let name = HTMLRenderer.truncated(reference.name ?? reference.id, to: 34)
        var out = ["<g>", "<title>\(HTMLEscaping.escape("\(ReportVocabulary.referenceName(reference)): \(ReportNumbers.cosine(reference.meanCosine)), \(reference.band.displayName)\(reference.borderline ? ", borderline" : "")"))</title>"]
        out.append("<text class=\"bold\" x=\"\(ReportNumbers.svg(labelWidth))\" y=\"\(ReportNumbers.svg(centre - 2))\" text-anchor=\"end\">\(HTMLEscaping.escape(name))</text>")
        out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(labelWidth))\" y=\"\(ReportNumbers.svg(centre + 12))\" text-anchor=\"end\">\(HTMLEscaping.escape(reference.band.displayName + (reference.borderline ? " · borderline" : "")))</text>")
        let end = x(reference.meanCosine)
        out.append("<rect class=\"fill-\(reference.band.rawValue)\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"\(ReportNumbers.svg(centre - barHeight / 2))\" width=\"\(ReportNumbers.svg(max(end - plotLeft, 2)))\" height=\"\(ReportNumbers.svg(barHeight))\" rx=\"2\"/>")
        if let interval = reference.interval {
            let lo = x(interval.low), hi = x(interval.high)
            out.append("<line class=\"whisker\" x1=\"\(ReportNumbers.svg(lo))\" y1=\"\(ReportNumbers.svg(centre))\" x2=\"\(ReportNumbers.svg(hi))\" y2=\"\(ReportNumbers.svg(centre))\"/>")
            for cap in [lo, hi] {
                out.append("<line class=\"whisker\" x1=\"\(ReportNumbers.svg(cap))\" y1=\"\(ReportNumbers.svg(centre - 6))\" x2=\"\(ReportNumbers.svg(cap))\" y2=\"\(ReportNumbers.svg(centre + 6))\"/>")
            }
        }
        let figure = scale.isBelowAxis(reference.meanCosine)
            ? "\(ReportNumbers.cosine(reference.meanCosine)) (below axis)"
            : ReportNumbers.cosine(reference.meanCosine)
        let labelX = max(end, reference.interval.map { x($0.high) } ?? end) + 8
        out.append("<text class=\"bold mono\" x=\"\(ReportNumbers.svg(labelX))\" y=\"\(ReportNumbers.svg(centre + 4))\">\(HTMLEscaping.escape(figure))</text>")
        out.append("</g>")
        return out
    }
}
