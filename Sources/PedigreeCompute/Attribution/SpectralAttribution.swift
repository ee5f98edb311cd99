import PedigreeSupport

/// Adds each reference pair's spectral profile to a result's attribution and, where the
/// profile shows the top of a reference's change subtracted, reports the share beyond the
/// deepest probed rank as the reference's share (see `SpectralPass`, `SpectralProfile`).
enum SpectralAttribution {
    static let fingerprintCandidateNote = "Spectral profile not measured: the candidate is a fingerprint, which holds sampled columns, not the rows a spectral sample is read against."
    static let loraNote = "Spectral profile not measured: the candidate is a LoRA, whose change is low-rank by construction; its share of each reference's change is read in either sign (a LoRA removing a change is made from it)."

    static func apply(to result: inout CompareResult, sources: [any TensorSource], tensors: [PlannedTensor],
                      edges: [(ancestor: String, descendant: String)], groups: [BlockGroup] = [], workers: Int, cache: SpectralBasisCache?,
                      budget: Double?, exactLimit: Double = SpectralPass.exactProjectionLimit,
                      progress: any ProgressSink = SilentProgress()) throws {
        guard var attribution = result.attribution else { return }
        var skipped: [String] = []
        let labels = sources.map(\.label)
        let forest = CompareForest(labels: labels, edges: edges)
        let divisor = SpectralPass.widthDivisor(shapes: sources[0].shapes)
        let pass = SpectralPass(workers: workers)
        for (index, reference) in attribution.references.enumerated() {
            guard let x = labels.firstIndex(of: reference.id), x > 0, let parent = forest.parent[x] else { continue }
            // The observed null: another whole reference descending from the same ancestor.
            let sibling = labels.indices.dropFirst().first { $0 != x && forest.parent[$0] == parent && !(sources[$0] is Fingerprint) }
            let candidates = [sources[0]] + (sibling.map { [sources[$0]] } ?? [])
            func evidenced(_ measured: [[SpectralPass.Terms]]) -> ReferenceAttribution {
                profiled(reference, terms: measured[0], groups: groups,
                         sibling: sibling.flatMap { y in measured.count > 1 ? (labels[y], measured[1]) : nil })
            }
            // The pair's bases are cached under the two files' SHA-256 (when they were hashed).
            let hashes = (result.references.first { $0.id == labels[x] }?.sha256, result.references.first { $0.id == labels[parent] }?.sha256)
            let cacheKey = cache != nil ? hashes.0.flatMap { d in hashes.1.map { (d, $0) } } : nil
            // Large pairs are measured on the pair's spectral sample (see
            // `SpectralPass.exactProjectionLimit`): from the cache, or made here and cached.
            if SpectralPass.projectionCost(tensors, divisor: divisor) > exactLimit {
                let pair = Pair(candidate: sources[0], descendant: sources[x], ancestor: sources[parent], ancestorID: labels[parent],
                                key: cacheKey, tensors: tensors, divisor: divisor)
                switch try sampledTerms(pair, candidates: candidates, workers: workers, cache: cache, budget: budget, progress: progress) {
                case .measured(let terms): attribution.references[index] = evidenced(terms)
                case .overBudget(let cost): skipped.append("\(labels[parent]) → \(labels[x]) (about \(String(format: "%.0f", cost / 1e9)) GFLOP)")
                }
                continue
            }
            let cached = cacheKey.map { cache!.load(descendant: $0.0, ancestor: $0.1) } ?? [:]
            // Bases not cached yet are computed here; past the budget the pair is left
            // unmeasured (and said so) rather than holding the audit for many minutes.
            let cost = tensors.filter { cached[$0.name] == nil }.reduce(0) { $0 + SpectralPass.estimatedCost($1, divisor: divisor) }
            if let budget, cost > budget {
                skipped.append("\(labels[parent]) → \(labels[x]) (about \(String(format: "%.0f", cost / 1e9)) GFLOP)")
                continue
            }
            let (terms, computed) = try pass.measure(candidate: sources[0], descendant: sources[x], ancestor: sources[parent],
                                                     tensors: tensors, divisor: divisor, cached: cached, keep: cacheKey != nil || sibling != nil)
            let bases = cached.merging(computed) { _, new in new }
            if let (d, a) = cacheKey, !computed.isEmpty {
                cache!.store(bases, descendant: d, ancestor: a)
            }
            // The sibling against the same bases: one more read of its file, no new basis.
            var measured = [terms]
            if let y = sibling {
                measured.append(try pass.measure(candidate: sources[y], descendant: sources[x], ancestor: sources[parent],
                                                 tensors: tensors, divisor: divisor, cached: bases).terms)
            }
            attribution.references[index] = evidenced(measured)
        }
        if !skipped.isEmpty {
            attribution.spectralNote = "Spectral profile not measured for \(skipped.joined(separator: ", ")): computing the pair's spectral basis exceeds the default budget of \(String(format: "%.0f", (budget ?? 0) / 1e9)) GFLOP, so a change partly subtracted (a LoRA of it merged at negative strength) is not looked for. Run with --spectral to measure it (the basis is then cached for later audits)."
        }
        result.attribution = attribution
    }

    /// One reference pair measured against the candidate.
    struct Pair: Sendable {
        var candidate: any TensorSource
        var descendant: any TensorSource
        var ancestor: any TensorSource
        var ancestorID: String
        /// The descendant's and the ancestor's SHA-256, when the files were hashed.
        var key: (descendant: String, ancestor: String)?
        var tensors: [PlannedTensor]
        var divisor: Int

        var eligible: [PlannedTensor] { tensors.filter(SpectralSample.eligible) }

        /// The pair's bases the cache holds (none without the files' hashes).
        func cachedBases(_ cache: SpectralBasisCache?) -> [String: SpectralBasis.Stored] {
            key.flatMap { key in cache?.load(descendant: key.descendant, ancestor: key.ancestor) } ?? [:]
        }

        /// The work still needed for the pair's bases, after the `cached` ones.
        func basisCost(cached: [String: SpectralBasis.Stored]) -> Double {
            tensors.filter { cached[$0.name] == nil }.reduce(0) { $0 + SpectralPass.estimatedCost($1, divisor: divisor) }
        }
    }

    /// The candidate's terms against the pair's spectral sample: the cached one when it
    /// covers every tensor compared, else one made now (and cached) when the pair's bases
    /// fit the budget.
    enum SampledOutcome {
        /// Each candidate's terms, in the order given.
        case measured([[SpectralPass.Terms]])
        /// The pair's bases would cost this many operations, past the budget.
        case overBudget(Double)
    }

    static func sampledTerms(_ pair: Pair, candidates: [any TensorSource]? = nil, workers: Int, cache: SpectralBasisCache?, budget: Double?,
                             progress: any ProgressSink = SilentProgress()) throws -> SampledOutcome {
        let eligible = pair.eligible
        let rowsOf: @Sendable (PlannedTensor) throws -> SpectralSample.Rows?
        if let key = pair.key,
           let stored = cache?.loadSample(descendant: key.descendant, ancestor: key.ancestor, shapes: pair.descendant.shapes,
                                          divisor: pair.divisor, seed: SpectralSample.defaultSeed, covering: eligible.map(\.name)) {
            rowsOf = { try stored.rows(of: $0.name) }
        } else {
            let bases = pair.cachedBases(cache)
            let cost = pair.basisCost(cached: bases)
            if let budget, cost > budget { return .overBudget(cost) }
            let build = try SpectralSampleBuild.make(
                descendant: pair.descendant, ancestor: pair.ancestor, ancestorID: pair.ancestorID,
                descendantSHA256: pair.key?.descendant ?? "", ancestorSHA256: pair.key?.ancestor ?? "", tensors: pair.tensors,
                workers: workers, cache: pair.key == nil ? nil : cache, bases: bases, progress: progress)
            let byName = Dictionary(build.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            rowsOf = { byName[$0.name] }
        }
        // Each tensor's terms in its slot: the same sums in the same order every run.
        return .measured(try (candidates ?? [pair.candidate]).map { candidate in
            try ParallelSlots.map(count: eligible.count, workers: workers) { i, scratch -> SpectralPass.Terms? in
                guard let rows = try rowsOf(eligible[i]) else { return nil }
                return try rows.terms(block: eligible[i].block, candidate: candidate, scratch: scratch)
            }.compactMap { $0 }
        })
    }

    /// `reference` with its spectral profile, and with the share beyond the deepest probed
    /// rank as its share when the profile shows the top of its change removed.
    static func profiled(_ reference: ReferenceAttribution, terms: [SpectralPass.Terms], groups: [BlockGroup] = [],
                         sibling: (id: String, terms: [SpectralPass.Terms])? = nil) -> ReferenceAttribution {
        guard let profile = SpectralProfile(terms: terms) else { return reference }
        var updated = reference
        updated.spectral = profile.shares
        updated.evidence = CopiedStructure.measure(candidate: terms, groups: groups, sibling: sibling)
        if let rank = profile.removedRank, let residual = profile.deepestResidual, let share = residual.share {
            updated.subtractedRank = rank
            updated.share = share
            updated.interval = residual.interval
        }
        return updated
    }

    /// The fingerprint path's terms, per descendant reference id: a descendant whose
    /// fingerprint carries a spectral sample against its compared parent (matched by the
    /// parent file's SHA-256, `ancestorSHA(index)`; by id when that is unknown) gets the terms
    /// of the candidate's sampled rows; the other pairs are listed as missing.
    struct SampledTerms {
        var terms: [String: [SpectralPass.Terms]] = [:]
        var missing: [String] = []
    }

    static func sampledTerms(sources: [any TensorSource], tensors: [PlannedTensor], edges: [(ancestor: String, descendant: String)],
                             workers: Int, ancestorSHA: (Int) -> String?) throws -> SampledTerms {
        let labels = sources.map(\.label)
        let forest = CompareForest(labels: labels, edges: edges)
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var found = SampledTerms()
        for x in labels.indices.dropFirst() {
            guard let parent = forest.parent[x] else { continue }
            let sha = ancestorSHA(parent)
            guard let fingerprint = sources[x] as? Fingerprint, let sample = fingerprint.spectral,
                  sha == nil ? sample.ancestorID == labels[parent] : sample.ancestorSHA256 == sha else {
                found.missing.append("\(labels[parent]) → \(labels[x])")
                continue
            }
            let names = sample.tensorNames.filter { byName[$0].map(SpectralSample.eligible) ?? false }
            // Each tensor's terms in its slot: the same sums in the same order every run.
            let terms = try ParallelSlots.map(count: names.count, workers: workers) { i, scratch -> SpectralPass.Terms? in
                guard let tensor = byName[names[i]], let rows = try fingerprint.spectralRows(of: tensor.name) else { return nil }
                return try rows.terms(block: tensor.block, candidate: sources[0], scratch: scratch)
            }
            found.terms[labels[x]] = terms.compactMap { $0 }
        }
        return found
    }

    /// Adds the sampled profiles to the attribution's references, and names the pairs left
    /// unmeasured in the note.
    static func applySampled(_ sampled: SampledTerms, to result: inout CompareResult, groups: [BlockGroup] = []) {
        guard var attribution = result.attribution else { return }
        for (index, reference) in attribution.references.enumerated() {
            if let terms = sampled.terms[reference.id] { attribution.references[index] = profiled(reference, terms: terms, groups: groups) }
        }
        if !sampled.missing.isEmpty {
            attribution.spectralNote = "Spectral profile not measured for \(sampled.missing.joined(separator: ", ")): the descendant's fingerprint carries no spectral sample against that ancestor, so a change partly subtracted (a LoRA of it merged at negative strength) is not looked for. Make the fingerprint with `pedigree fingerprint DESCENDANT --spectral-ancestor ID=ANCESTOR …`, or audit against the full checkpoints."
        }
        result.attribution = attribution
    }
}
