import Foundation
import PedigreeCompute

/// One sentence on a re-basin found and undone, for the compare table.
enum TransformText {
    static func sentence(_ transform: TransformReport?) -> String? {
        guard let transform, transform.permutedGroups > 0 else { return nil }
        let axes = transform.axes.map { "\($0.kind) \($0.permutedGroups)/\($0.groups)" }.joined(separator: ", ")
        let cosines = String(format: "units matched their own index at a median cosine of %.2f and their matches at %.2f", transform.cosineBefore, transform.cosineAfter)
        return "hidden units reordered from \(transform.reference)'s order (a re-basin) in \(transform.permutedGroups) groups (\(axes)); \(cosines). Undone before comparing: every figure is measured on the realigned weights."
    }
}
