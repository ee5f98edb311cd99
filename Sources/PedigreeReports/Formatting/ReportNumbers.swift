import Foundation

/// How figures read in every human-facing format, so text, Markdown and HTML agree.
enum ReportNumbers {
    /// Cosines with four decimals, the precision the seed article quotes (`0.9935`).
    static func cosine(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value) : "n/a"
    }

    /// A share of a descendant's change as a percentage with one decimal (`61.2%`).
    static func percent(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f%%", value * 100) : "n/a"
    }

    /// SVG coordinates and lengths with fixed precision, so the same chart is the same bytes.
    static func svg(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A relative distance or other small ratio, four decimals.
    static func ratio(_ value: Double) -> String { cosine(value) }

    /// Thresholds, which are round numbers in policies: as short as exact (`0.9`, `0.95`).
    static func threshold(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text += "0" }
        return text
    }

    /// `[0.9921, 0.9949]` for a 95% interval, empty when there is none.
    static func interval(_ interval: (low: Double, high: Double)?) -> String {
        guard let interval else { return "" }
        return "[\(cosine(interval.low)), \(cosine(interval.high))]"
    }

    /// Whole counts with thin grouping that needs no locale (`2,567,463,684`).
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start ..< end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}

extension ReportNumbers {
    /// A named figure from lineage evidence: shares as percentages, everything else
    /// (cosines, distances) with four decimals.
    static func evidenceFigure(name: String, value: Double) -> String {
        name.contains("share") ? percent(value) : cosine(value)
    }
}
