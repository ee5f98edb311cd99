import Foundation

/// Finds a re-basin (hidden units reordered without changing the function, as sd-mecha's
/// `randperm` does) and undoes it, before the pass.
///
/// Detection costs a few rows per group: the units at the same index in the candidate and
/// a reference are compared on a sketch. In any derivative the base's weights dominate every
/// row, so an untransformed group's units match their own index (cosine near 1) and a
/// reordered group's do not (near 0). Only reordered groups are read whole and matched.
public enum PermutationAlignment {
    /// The median cosine of units with the reference's same-index units at or above which a
    /// group is in the reference's order, and the median cosine with their matches at or
    /// above which a reordering is accepted. Same-index rows of a derivative measure above
    /// 0.9 in the synthetic families and independent rows near 0 (±1/√64 for a sketch), so
    /// the middle separates them by a wide margin either way.
    static let orderedFloor: Float = 0.5
    static let matchedFloor: Float = 0.5
    /// Units probed per group for the detection.
    static let probeUnits = 16
    /// Groups that fail both tests before any is matched, after which the candidate is taken
    /// for one far from every reference (not a re-basin) and the rest are not matched: a
    /// model unrelated to the references costs a few groups' matching, not all of them.
    static let unmatchedBeforeGivingUp = 3

    /// The candidate in reference order and what was undone, or nil when no group is
    /// reordered (the candidate is then compared as it is, at no further cost).
    public static func align(candidate: any TensorSource, references: [any TensorSource]) throws -> (AlignedSource, TransformReport)? {
        let groups = PermutationGroups.expand(shapes: candidate.shapes)
        guard !groups.isEmpty else { return nil }
        let scratch = ScratchSpace()
        var chosen: (any TensorSource)?
        var undone: [(PermutationGroup, [Int])] = []
        var counts: [String: TransformReport.Axis] = [:]
        var before: [Float] = []
        var after: [Float] = []
        var unmatched = 0
        for group in groups {
            var axis = counts[group.kind] ?? .init(kind: group.kind, groups: 0, permutedGroups: 0, units: 0, unitsMoved: 0)
            axis.groups += 1
            defer { counts[group.kind] = axis }
            let eligible = references.filter { reference in group.members.allSatisfy { reference.shapes[$0.name] == candidate.shapes[$0.name] } }
            guard let probeReference = chosen.flatMap({ c in eligible.first { $0.label == c.label } }) ?? eligible.first else { continue }
            let probe = UnitSketches(group: group, reference: probeReference)
            let units = probeSample(group.width)
            let ordered = probe.diagonal(try probe.read(probeReference, units: units, scratch: scratch), try probe.read(candidate, units: units, scratch: scratch)).median
            if ordered >= orderedFloor { continue }
            if chosen == nil && unmatched >= unmatchedBeforeGivingUp { unmatched += 1; continue }
            // Reordered, or far from every reference: match on the whole group. The first
            // such group picks the reference the candidate's units match best.
            let candidates = chosen.flatMap { c in eligible.first { $0.label == c.label }.map { [$0] } } ?? eligible
            var best: (reference: any TensorSource, source: [Int], cosine: Float)?
            for reference in candidates {
                let sketches = UnitSketches(group: group, reference: reference)
                let matched = sketches.match(reference: try sketches.read(reference, scratch: scratch), candidate: try sketches.read(candidate, scratch: scratch))
                let cosine = matched.cosine.median
                if best == nil || cosine > best!.cosine { best = (reference, matched.source, cosine) }
            }
            guard let best, best.cosine >= matchedFloor else { unmatched += 1; continue }
            let moved = best.source.enumerated().filter { $0.offset != $0.element }.count
            guard moved > 0 else { continue }
            chosen = chosen ?? best.reference
            undone.append((group, best.source))
            axis.permutedGroups += 1
            axis.units += group.width
            axis.unitsMoved += moved
            before.append(ordered)
            after.append(best.cosine)
        }
        guard !undone.isEmpty, let chosen else { return nil }
        let report = TransformReport(
            kind: "permutation", reference: chosen.label,
            axes: counts.values.filter { $0.permutedGroups > 0 }.sorted { $0.kind < $1.kind },
            cosineBefore: Double(before.median), cosineAfter: Double(after.median), unmatchedGroups: unmatched)
        return (AlignedSource(base: candidate, groups: undone), report)
    }

    /// The kind of every permutation group `shapes` hold, one entry a group (what the
    /// table in `SDXLPermutations` expands to).
    public static func groupKinds(shapes: [String: [Int]]) -> [String] {
        PermutationGroups.expand(shapes: shapes).map(\.kind)
    }

    /// Up to `probeUnits` units spread evenly over a group.
    static func probeSample(_ width: Int) -> [Int] {
        let count = min(width, probeUnits)
        return (0 ..< count).map { ($0 * width) / count }
    }
}
