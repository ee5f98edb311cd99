import PedigreeFormat

/// Builds `AttributionFigures` from the per-tensor statistics of one pass.
///
/// Intervals: delete-one jackknife over blocks for the whole model and components, over
/// tensors for a block, and over blocks (or tensors, when a group has fewer than five
/// blocks) for a block group.
struct AttributionAssembler {
    let labels: [String]
    let forest: CompareForest
    let groups: [BlockGroup]
    let sampled: Bool

    static let intervalMethod = "95% delete-one jackknife: over blocks for the model, components and groups of five or more blocks; over tensors within a block or a smaller group"

    func assemble(_ stats: [TensorStatistics]) -> AttributionFigures? {
        guard labels.count >= 3, !stats.isEmpty else { return nil }
        let pairs = PairIndex(files: labels.count)
        let tensorParts = stats.map { (tensor: $0.tensor, parts: GramParts($0, pairs: pairs, sampled: sampled)) }
        var blockOrder: [String] = []
        var byBlock: [String: [GramParts]] = [:]
        var componentOf: [String: String] = [:]
        for entry in tensorParts {
            if byBlock[entry.tensor.block] == nil { blockOrder.append(entry.tensor.block) }
            byBlock[entry.tensor.block, default: []].append(entry.parts)
            componentOf[entry.tensor.block] = entry.tensor.component.rawValue
        }
        blockOrder.sort { BlockNaming.sortKey($0) < BlockNaming.sortKey($1) }
        let blockParts = blockOrder.map { (name: $0, parts: byBlock[$0]!.total(pairs: pairs)) }

        // The support base: the reference the candidate equals on most weights, if any does
        // on a sizeable share of them.
        let total = blockParts.map(\.parts).total(pairs: pairs)
        let supportBase = forest.references.max { total.equalCounts[$0] < total.equalCounts[$1] }
            .flatMap { GroupAttribution.sparseRange.contains(total.unchangedFraction(against: $0)) ? $0 : nil }

        guard let whole = GroupAttribution(units: blockParts.map(\.parts), forest: forest, supportBase: supportBase) else { return nil }
        let componentNames = Component.allCases.map(\.rawValue).filter { name in blockOrder.contains { componentOf[$0] == name } }
        let components = componentNames.compactMap { name -> (String, GroupAttribution)? in
            let units = blockParts.filter { componentOf[$0.name] == name }.map(\.parts)
            return GroupAttribution(units: units, forest: forest, supportBase: supportBase).map { (name, $0) }
        }
        let blocks = blockOrder.compactMap { name -> (String, GroupAttribution)? in
            GroupAttribution(units: byBlock[name]!, forest: forest, supportBase: supportBase).map { (name, $0) }
        }
        let groupResults = groups.compactMap { group -> (String, GroupAttribution)? in
            let members = blockParts.filter { group.contains(block: $0.name) }
            let units = members.count >= 5 ? members.map(\.parts) : members.flatMap { byBlock[$0.name]! }
            guard !units.isEmpty else { return nil }
            return GroupAttribution(units: units, forest: forest, supportBase: supportBase).map { (group.id, $0) }
        }

        func parts(_ results: [(String, GroupAttribution)], _ x: Int) -> [AttributionPart] {
            results.map { AttributionPart(name: $0.0, share: $0.1.shares[x], interval: $0.1.intervals[x], estimator: $0.1.estimator) }
        }
        let roots = forest.roots
        // A single root's share is 1 by construction: it is where changes are measured from.
        let attributed = forest.references.filter { roots.count > 1 || forest.parent[$0] != nil }
        let references = attributed.map { x in
            ReferenceAttribution(
                id: labels[x], ancestor: forest.parent[x].map { labels[$0] }, share: whole.shares[x], interval: whole.intervals[x],
                estimator: whole.estimator, denseShare: whole.dense[x], supportShare: whole.support[x],
                components: parts(components, x), blocks: parts(blocks, x), groups: parts(groupResults, x))
        }
        return AttributionFigures(
            roots: roots.map { labels[$0] }, references: references, unexplained: whole.unexplained,
            unexplainedInterval: whole.unexplainedInterval,
            support: supportBase.map { SupportFigures(base: labels[$0], unchangedFraction: total.unchangedFraction(against: $0)) },
            intervalMethod: Self.intervalMethod)
    }
}
