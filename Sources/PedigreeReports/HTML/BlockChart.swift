import PedigreeCompute
import PedigreeFormat
import PedigreeLineage
import PedigreePolicy

/// Small multiples, one panel per reference: mean cosine per UNet block in data-flow order
/// (input → middle → output) over the shaded bands. A merge or partial fine-tune shows as
/// blocks that leave the reference's band; off-axis blocks are drawn as ▼ on the floor.
enum BlockChart {
    static let width = 860.0
    static let plotLeft = 60.0
    static let plotRight = 840.0
    static let panelTop = 28.0
    static let plotHeight = 120.0
    static let labelSpace = 40.0

    /// The blocks a chart shows: the UNet's, where merges act; everything when there are none.
    static func chartedBlocks(_ reference: ReferenceVerdict) -> [GroupFigures] {
        let unet = reference.blocks.filter { $0.name.hasPrefix("unet.") }
        let chosen = unet.isEmpty ? reference.blocks : unet
        return chosen.sorted { BlockNaming.sortKey($0.name) < BlockNaming.sortKey($1.name) }
    }

    static func svgPanel(_ reference: ReferenceVerdict, thresholds: BandThresholds) -> String? {
        let blocks = chartedBlocks(reference)
        guard !blocks.isEmpty else { return nil }
        let scale = ChartScale(thresholds)
        let plotBottom = panelTop + plotHeight
        let height = plotBottom + labelSpace
        let y = { (v: Double) in scale.position(v, from: plotBottom, to: panelTop) }
        let step = (plotRight - plotLeft) / Double(blocks.count)
        let x = { (i: Int) in plotLeft + step * (Double(i) + 0.5) }
        let title = "\(ReportVocabulary.referenceName(reference)): mean cosine \(ReportNumbers.cosine(reference.meanCosine)), \(reference.band.displayName)"
        var out = ["<svg class=\"chart\" viewBox=\"0 0 \(ReportNumbers.svg(width)) \(ReportNumbers.svg(height))\" role=\"img\" aria-label=\"\(HTMLEscaping.escape("Per-block mean cosine, " + title))\" xmlns=\"http://www.w3.org/2000/svg\">"]
        out.append("<text class=\"bold\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"16\">\(HTMLEscaping.escape(HTMLRenderer.truncated(title, to: 110)))</text>")

        for region in scale.regions {
            let top = y(region.to), bottom = y(region.from)
            out.append("<rect class=\"bg-\(region.band.rawValue)\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"\(ReportNumbers.svg(top))\" width=\"\(ReportNumbers.svg(plotRight - plotLeft))\" height=\"\(ReportNumbers.svg(bottom - top))\"><title>\(HTMLEscaping.escape(region.band.displayName))</title></rect>")
        }
        for value in scale.ticks {
            if value > scale.low && value < scale.high {
                out.append("<line class=\"threshold\" x1=\"\(ReportNumbers.svg(plotLeft))\" y1=\"\(ReportNumbers.svg(y(value)))\" x2=\"\(ReportNumbers.svg(plotRight))\" y2=\"\(ReportNumbers.svg(y(value)))\"/>")
            }
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(plotLeft - 6))\" y=\"\(ReportNumbers.svg(y(value) + 3.5))\" text-anchor=\"end\">\(ReportNumbers.threshold(value))</text>")
        }
        out.append("<rect class=\"panel\" x=\"\(ReportNumbers.svg(plotLeft))\" y=\"\(ReportNumbers.svg(panelTop))\" width=\"\(ReportNumbers.svg(plotRight - plotLeft))\" height=\"\(ReportNumbers.svg(plotHeight))\"/>")

        // The line joins only on-axis points; off-axis ones would drag it through the floor.
        let onAxis = blocks.enumerated().filter { !scale.isBelowAxis($0.element.meanCosine) }
        if onAxis.count > 1 {
            let points = onAxis.map { "\(ReportNumbers.svg(x($0.offset))),\(ReportNumbers.svg(y($0.element.meanCosine)))" }.joined(separator: " ")
            out.append("<polyline class=\"line\" points=\"\(points)\"/>")
        }
        for (index, block) in blocks.enumerated() {
            let band = band(of: block.meanCosine, thresholds)
            let tip = "\(block.name): \(ReportNumbers.cosine(block.meanCosine)) (\(band.displayName))"
            if scale.isBelowAxis(block.meanCosine) {
                let cx = x(index), cy = plotBottom - 2
                out.append("<path class=\"fill-\(band.rawValue)\" d=\"M\(ReportNumbers.svg(cx - 5)),\(ReportNumbers.svg(cy - 8)) L\(ReportNumbers.svg(cx + 5)),\(ReportNumbers.svg(cy - 8)) L\(ReportNumbers.svg(cx)),\(ReportNumbers.svg(cy)) Z\"><title>\(HTMLEscaping.escape(tip + ", below axis"))</title></path>")
            } else {
                if let interval = block.interval {
                    out.append("<line class=\"whisker\" x1=\"\(ReportNumbers.svg(x(index)))\" y1=\"\(ReportNumbers.svg(y(interval.low)))\" x2=\"\(ReportNumbers.svg(x(index)))\" y2=\"\(ReportNumbers.svg(y(interval.high)))\"/>")
                }
                out.append("<circle class=\"fill-\(band.rawValue)\" cx=\"\(ReportNumbers.svg(x(index)))\" cy=\"\(ReportNumbers.svg(y(block.meanCosine)))\" r=\"4\"><title>\(HTMLEscaping.escape(tip))</title></circle>")
            }
            let labelY = plotBottom + 12
            out.append("<text class=\"small muted\" x=\"\(ReportNumbers.svg(x(index)))\" y=\"\(ReportNumbers.svg(labelY))\" text-anchor=\"end\" transform=\"rotate(-45 \(ReportNumbers.svg(x(index))) \(ReportNumbers.svg(labelY)))\">\(HTMLEscaping.escape(ReportVocabulary.shortBlockLabel(block.name)))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n")
    }

    /// A block's band by the report's thresholds (blocks carry figures, not verdicts).
    static func band(of value: Double, _ t: BandThresholds) -> Band { BandClassifier(thresholds: t).band(value) }
}

