import PedigreeCompute
import PedigreePolicy

/// Reads a similarity in the policy's bands (`classification.yaml`; the shipped ones are the
/// seed article's, README "Method").
public struct BandClassifier: Sendable {
    public let thresholds: BandThresholds

    public init(thresholds: BandThresholds) { self.thresholds = thresholds }

    public init(settings: ClassificationSettings) { self.thresholds = BandThresholds(settings: settings) }

    public func band(_ score: Double) -> Band {
        Band.closestFirst.first { score >= thresholds.lowerBound(of: $0) } ?? .distant
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
