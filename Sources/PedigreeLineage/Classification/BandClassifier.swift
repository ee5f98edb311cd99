import PedigreeCompute
import PedigreePolicy

/// Reads a similarity in the policy's bands (by default the article's: ≥ 0.98 too close,
/// ≥ 0.95 fair, ≥ 0.90 large difference, below that distant).
public struct BandClassifier: Sendable {
    public let thresholds: BandThresholds

    public init(thresholds: BandThresholds) { self.thresholds = thresholds }

    /// Maps the policy's classification settings onto the four bands Pedigree reports.
    public init(settings: ClassificationSettings) {
        func bound(_ id: String, _ fallback: Double) -> Double { settings.bands.first { $0.id == id }?.lowerBound ?? fallback }
        self.thresholds = BandThresholds(
            metric: settings.metric.rawValue, tooClose: bound("too-close", 0.98), fair: bound("fair", 0.95),
            largeDifference: bound("large-difference", 0.90), margin: settings.borderlineMargin)
    }

    public func band(_ score: Double) -> Band {
        if score >= thresholds.tooClose { return .tooClose }
        if score >= thresholds.fair { return .fair }
        if score >= thresholds.largeDifference { return .largeDifference }
        return .distant
    }

    var boundaries: [Double] { [thresholds.tooClose, thresholds.fair, thresholds.largeDifference] }

    /// Borderline: within the margin of a band boundary, or (for sampled figures) an
    /// interval that straddles one.
    public func isBorderline(_ score: Double, interval: Interval?) -> Bool {
        if boundaries.contains(where: { abs(score - $0) < thresholds.margin }) { return true }
        if let interval { return boundaries.contains { interval.low < $0 && $0 <= interval.high } }
        return false
    }
}
