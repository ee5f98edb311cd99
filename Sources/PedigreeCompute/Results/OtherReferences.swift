extension CompareResult {
    /// Marks the references given with `--other` (labels chosen by the user, no policy
    /// model): every report shows them under their label, "not in the policies".
    public mutating func markNotInPolicies(_ labels: Set<String>) {
        guard !labels.isEmpty else { return }
        for index in references.indices where labels.contains(references[index].id) {
            references[index].notInPolicies = true
        }
    }

    /// The labels of the references that are no policy model.
    public var labelsNotInPolicies: [String] { references.filter { $0.notInPolicies == true }.map(\.id) }
}

extension CompareResult {
    /// The result as the licence verdict may read it, and the references outside the
    /// policies that were measured beside it. Those references leave the figures, their
    /// baselines, the per-tensor rows and the Gram summary; an attribution fitted with them is dropped (the
    /// verdict then reads baselines and deltas, as after `--no-attribution`), since their
    /// presence changes every share.
    public func splittingNotInPolicies() -> (policies: CompareResult, others: [ReferenceFigures]) {
        let others = references.filter { $0.notInPolicies == true }
        guard !others.isEmpty else { return (self, []) }
        let labels = Set(others.map(\.id))
        var kept = self
        let keptIndices = references.indices.filter { !labels.contains(references[$0].id) }
        kept.references = keptIndices.map { references[$0] }
        for index in kept.references.indices {
            kept.references[index].deltas.removeAll { labels.contains($0.ancestor) || labels.contains($0.descendant) }
        }
        kept.baselines.removeAll { labels.contains($0.a) || labels.contains($0.b) }
        kept.tensors = tensors?.map { tensor in
            var tensor = tensor
            tensor.references = keptIndices.compactMap { $0 < tensor.references.count ? tensor.references[$0] : nil }
            return tensor
        }
        kept.attribution = nil
        kept.gram = gram.map { gram in
            let keep = gram.files.indices.filter { !labels.contains(gram.files[$0]) }
            func sub(_ m: [[Double]]) -> [[Double]] { keep.map { i in keep.map { j in i < m.count && j < m[i].count ? m[i][j] : .nan } } }
            return GramSummary(files: keep.map { gram.files[$0] }, overall: sub(gram.overall),
                               components: gram.components.mapValues(sub), blocks: gram.blocks.mapValues(sub))
        }
        return (kept, others)
    }
}
