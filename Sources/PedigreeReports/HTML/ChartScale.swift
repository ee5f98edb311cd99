import Foundation
import PedigreeLineage
import PedigreePolicy

/// The zoomed cosine axis both charts share: from a little below the lowest band boundary
/// to 1.0, so that the differences that matter (0.97 versus 0.99) are visible at all.
struct ChartScale {
    let low: Double
    let high = 1.0
    let thresholds: BandThresholds

    init(_ thresholds: BandThresholds) {
        self.thresholds = thresholds
        // 0.85 for the default bands; lower if a policy sets a lower boundary.
        let boundary = thresholds.largeDifference.isFinite ? thresholds.largeDifference : 0.9
        low = min(0.85, ((boundary - 0.05) * 100).rounded(.down) / 100)
    }

    /// Position of `value` between `from` and `to` (pixels), clamped to the axis.
    func position(_ value: Double, from: Double, to: Double) -> Double {
        let clamped = min(max(value.isFinite ? value : low, low), high)
        return from + (clamped - low) / (high - low) * (to - from)
    }

    func isBelowAxis(_ value: Double) -> Bool { !value.isFinite || value < low }

    /// The bands as regions of the axis, lowest first.
    var regions: [(band: Band, from: Double, to: Double)] {
        [(.distant, low, thresholds.largeDifference), (.largeDifference, thresholds.largeDifference, thresholds.fair),
         (.fair, thresholds.fair, thresholds.tooClose), (.tooClose, thresholds.tooClose, high)]
            .filter { $0.2 > $0.1 }
    }

    /// Labelled ticks: the axis ends and the band boundaries.
    var ticks: [Double] {
        var seen = Set<String>()
        return [low, thresholds.largeDifference, thresholds.fair, thresholds.tooClose, high]
            .filter { $0 >= low && $0 <= high }
            .filter { seen.insert(ReportNumbers.threshold($0)).inserted }
            .sorted()
    }

    /// Unlabelled grid lines every 0.01.
    var gridLines: [Double] {
        let steps = Int(((high - low) * 100).rounded())
        return (0 ... max(steps, 0)).map { low + Double($0) / 100 }
    }
}
