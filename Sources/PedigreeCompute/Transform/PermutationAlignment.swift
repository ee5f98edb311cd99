import Foundation
import PedigreeSupport

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
        var counts: [String: TransformReport.Axis] = [:]
        // 1. Every group probed against the first reference that holds it: a few rows each.
        var outOfOrder: [(group: PermutationGroup, eligible: [any TensorSource], ordered: Float)] = []
        for group in groups {
            counts[group.kind, default: .init(kind: group.kind, groups: 0, permutedGroups: 0, units: 0, unitsMoved: 0)].groups += 1
            let eligible = references.filter { reference in group.members.allSatisfy { reference.shapes[$0.name] == candidate.shapes[$0.name] } }
            guard let first = eligible.first else { continue }
            let probe = UnitSketches(group: group, reference: first)
            let units = probeSample(group.width)
            let ordered = probe.diagonal(try probe.read(first, units: units, scratch: scratch), try probe.read(candidate, units: units, scratch: scratch)).median
            if ordered < orderedFloor { outOfOrder.append((group, eligible, ordered)) }
        }
        guard !outOfOrder.isEmpty else { return nil }
        // 2. The reference the units match best, chosen on the first groups out of order. A
        //    candidate far from every reference fails here a few times and is left as it is.
        var chosen: (any TensorSource)?
        var matched: [Int: (source: [Int], cosine: Float)] = [:]
        var unmatched = 0
        var next = 0
        while chosen == nil, next < outOfOrder.count, unmatched < unmatchedBeforeGivingUp {
            let entry = outOfOrder[next]
            var best: (reference: any TensorSource, source: [Int], cosine: Float)?
            for reference in entry.eligible {
                let found = try match(entry.group, candidate: candidate, reference: reference, scratch: scratch)
                if best.map({ found.cosine > $0.cosine }) ?? true { best = (reference, found.source, found.cosine) }
            }
            if let best, best.cosine >= matchedFloor {
                chosen = best.reference
                matched[next] = (best.source, best.cosine)
            } else {
                unmatched += 1
            }
            next += 1
        }
        guard let chosen else { return nil }
        // 3. The other groups against that reference, a core each (n² per group: the cost).
        let label = chosen.label
        let rest = Array(next ..< outOfOrder.count)
        let entries = outOfOrder
        let found = try BoundedConcurrency.map(rest, limit: System.availableCores) { _, index -> (source: [Int], cosine: Float)? in
            guard let reference = entries[index].eligible.first(where: { $0.label == label }) else { return nil }
            return try match(entries[index].group, candidate: candidate, reference: reference, scratch: ScratchSpace())
        }
        for (index, result) in zip(rest, found) { matched[index] = result }

        var undone: [(PermutationGroup, [Int])] = []
        var before: [Float] = []
        var after: [Float] = []
        for (index, entry) in outOfOrder.enumerated() {
            guard let result = matched[index] else { continue }  // the first misses, counted above
            guard result.cosine >= matchedFloor else { unmatched += 1; continue }
            let moved = result.source.enumerated().filter { $0.offset != $0.element }.count
            guard moved > 0 else { continue }
            undone.append((entry.group, result.source))
            counts[entry.group.kind]?.permutedGroups += 1
            counts[entry.group.kind]?.units += entry.group.width
            counts[entry.group.kind]?.unitsMoved += moved
            before.append(entry.ordered)
            after.append(result.cosine)
        }
        guard !undone.isEmpty else { return nil }
        let report = TransformReport(
            kind: "permutation", reference: label,
            axes: counts.values.filter { $0.permutedGroups > 0 }.sorted { $0.kind < $1.kind },
            cosineBefore: Double(before.median), cosineAfter: Double(after.median), unmatchedGroups: unmatched)
        return (AlignedSource(base: candidate, groups: undone), report)
    }

    /// A group's units matched to `reference`'s: the assignment and its median cosine.
    static func match(_ group: PermutationGroup, candidate: any TensorSource, reference: any TensorSource, scratch: ScratchSpace) throws -> (source: [Int], cosine: Float) {
        let sketches = UnitSketches(group: group, reference: reference)
        let found = sketches.match(reference: try sketches.read(reference, scratch: scratch), candidate: try sketches.read(candidate, scratch: scratch))
        return (found.source, found.cosine.median)
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
