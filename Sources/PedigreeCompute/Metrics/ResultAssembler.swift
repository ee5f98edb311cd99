import PedigreeFormat

/// Turns per-tensor statistics into a `CompareResult`: overall, per component and per
/// block figures for each reference, reference baselines, and delta measures along the
/// lineage edges the caller knows about.
struct ResultAssembler {
    let labels: [String]
    let sampled: Bool

    var pairs: PairIndex { PairIndex(files: labels.count) }

    func crossIndex(_ a: Int, _ b: Int) -> Int {
        pairs.crossPairs.firstIndex { $0.a == min(a, b) && $0.b == max(a, b) } ?? 0
    }

    func groups(_ stats: [TensorStatistics], by key: (PlannedTensor) -> String) -> [(String, GroupAccumulator)] {
        var groups: [String: GroupAccumulator] = [:]
        for s in stats { groups[key(s.tensor), default: GroupAccumulator(pairs: pairs, sampled: sampled)].add(s) }
        return groups.sorted { BlockNaming.sortKey($0.key) < BlockNaming.sortKey($1.key) }
    }

    func assemble(
        stats: [TensorStatistics], candidate: FileIdentity, references: [FileIdentity],
        edges: [(ancestor: String, descendant: String)], blockGroups: [BlockGroup] = [], metric: MetricDescription,
        skipped: [SkippedTensor], perTensor: Bool, attribution: Bool = true
    ) -> CompareResult {
        var overall = GroupAccumulator(pairs: pairs, sampled: sampled)
        stats.forEach { overall.add($0) }
        let components = groups(stats) { $0.component.rawValue }
        let blocks = groups(stats) { $0.block }

        var referenceFigures: [ReferenceFigures] = []
        for (offset, identity) in references.enumerated() {
            let r = offset + 1
            let q = crossIndex(0, r)
            let deltas: [DeltaFigures] = edges.filter { $0.descendant == labels[r] }.compactMap { edge in
                guard let a = labels.firstIndex(of: edge.ancestor) else { return nil }
                let whole = overall.delta(ancestor: a, descendant: r)
                func part(_ group: (String, GroupAccumulator)) -> DeltaFigures.Part {
                    let d = group.1.delta(ancestor: a, descendant: r)
                    let intervals = group.1.deltaIntervals(ancestor: a, descendant: r)
                    return .init(name: group.0, share: d.share, cosine: d.cosine, interval: intervals?.share, cosineInterval: intervals?.cosine)
                }
                let intervals = overall.deltaIntervals(ancestor: a, descendant: r)
                return DeltaFigures(ancestor: edge.ancestor, descendant: labels[r], share: whole.share, cosine: whole.cosine,
                                    interval: intervals?.share, cosineInterval: intervals?.cosine,
                                    components: components.map(part), blocks: blocks.map(part))
            }
            referenceFigures.append(ReferenceFigures(
                id: labels[r], path: identity.path, sha256: identity.sha256, kind: identity.kind,
                meanCosine: overall.meanCosine(q), parameterWeightedCosine: overall.parameterWeighted(q),
                flatCosine: overall.flatCosine(0, r), relativeL2: overall.relativeL2(0, r), interval: overall.interval(q),
                components: components.map { $0.1.figures(name: $0.0, candidate: 0, reference: r, crossIndex: q) },
                blocks: blocks.map { $0.1.figures(name: $0.0, candidate: 0, reference: r, crossIndex: q) },
                deltas: deltas))
        }

        var baselines: [Baseline] = []
        for a in 1 ..< labels.count {
            for b in (a + 1) ..< max(a + 1, labels.count) {
                let q = crossIndex(a, b)
                baselines.append(Baseline(
                    a: labels[a], b: labels[b], meanCosine: overall.meanCosine(q),
                    parameterWeightedCosine: overall.parameterWeighted(q),
                    components: components.map { $0.1.figures(name: $0.0, candidate: a, reference: b, crossIndex: q) },
                    source: sampled ? .sampled : .exact))
            }
        }

        let gram = GramSummary(
            files: labels, overall: overall.gramMatrix(),
            components: Dictionary(uniqueKeysWithValues: components.map { ($0.0, $0.1.gramMatrix()) }),
            blocks: Dictionary(uniqueKeysWithValues: blocks.map { ($0.0, $0.1.gramMatrix()) }))

        let tensorRows: [TensorFigures]? = perTensor ? stats.map { s in
            var single = GroupAccumulator(pairs: pairs, sampled: sampled)
            single.add(s)
            return TensorFigures(
                name: s.tensor.name, block: s.tensor.block, shape: s.tensor.shape, columns: s.tensor.columns,
                references: (1 ..< labels.count).map { r in
                    .init(id: labels[r], meanCosine: single.meanCosine(crossIndex(0, r)),
                          flatCosine: single.flatCosine(0, r), relativeL2: single.relativeL2(0, r))
                })
        } : nil

        return CompareResult(
            metric: metric, mode: sampled ? .sampled : .exact, candidate: candidate, keysCompared: stats.count,
            columnsCompared: stats.reduce(0) { $0 + $1.comparedColumns }, references: referenceFigures,
            baselines: baselines, skipped: skipped, gram: gram, tensors: tensorRows,
            attribution: attribution ? AttributionAssembler(
                labels: labels, forest: CompareForest(labels: labels, edges: edges), groups: blockGroups, sampled: sampled
            ).assemble(stats) : nil)
    }
}
