import PedigreeFormat

/// Evidence of copied weights for one reference pair (issue 26): the candidate's share of
/// the part of the reference's change that independent training does not reproduce.
///
/// Why: training on data like the reference's learns the same few dominant directions of
/// its change, so a share of the whole change (dominated by those directions) accuses
/// honest look-alikes and, below a minimum, clears small merges. The change beyond its
/// dominant rank — the tail of its spectrum, the reference's idiosyncratic fine structure —
/// is carried only by a copy: a weighted sum carries it in proportion at any share, an
/// un-merge keeps it when it removes the top, a sparsifying merge keeps it on the elements
/// it keeps. Independent training carries none of it. The share on the tail is
/// ρ = Σ (⟨c, Δ⟩ − ⟨c, L_k⟩) / Σ (‖Δ‖² − ‖L_k‖²) at the deepest probed rank k, for the whole
/// model, each component and each block group, with a jackknife interval over blocks (over
/// tensors where a scope has fewer than three blocks).
///
/// An extracted LoRA merged in carries no tail: it carries the top singular pairs of the
/// change exactly, each at the same fraction of its singular value. Training on similar
/// data may share those directions, but in its own coordinates: its coordinate on each of
/// the reference's singular pairs does not follow the reference's singular values, and
/// varies from tensor to tensor. The exact-axis share is the slope of the candidate's
/// coordinates m_t = u_tᵀ c v_t on σ_t over the top two pairs of every tensor,
/// Σ (m_0 − m_1)(σ_0 − σ_1) / Σ (σ_0 − σ_1)², with its coherence: the spread of the tensors'
/// own slopes around it relative to the spread the candidate's own, unrelated change would
/// give them, as 1/(1 + excess) with excess = max(0, spread/noise − 1). A copy's tensors
/// agree up to that noise whatever its share (coherence near 1); a look-alike's scatter
/// with its rotation, many times the noise (coherence near 0). Measured where the
/// candidate's whole tensors are projected on the pair's bases (`SpectralPass.measure`).
///
/// JSON: `attribution.references[].evidence` (SCHEMA.md).
public struct CopiedStructure: Sendable, Codable, Equatable {
    /// The full-width rank beyond which the tail is measured.
    public var rank: Int
    /// The candidate's share of the tail, by scope (the whole model first).
    public var tail: [ScopedShare]
    /// The candidate's share of the top `rank` directions (⟨c, L_k⟩/‖L_k‖²), the whole model:
    /// what training on similar data can also reach.
    public var dominant: ScopedShare?
    /// The exact-axis share by scope as `tail`, each with its coherence in [0, 1]; empty
    /// where the candidate's coordinates on the singular pairs were not measured.
    public var exact: [ScopedShare]
    /// The same tail shares of another reference that descends independently from the same
    /// ancestor (Illustrious 2.0 against NoobAI's change from Illustrious 0.1): the null
    /// observed in this audit. nil when no such sibling was compared as a whole checkpoint.
    public var observedNull: ObservedNull?

    public init(rank: Int, tail: [ScopedShare], dominant: ScopedShare?, exact: [ScopedShare] = [], observedNull: ObservedNull? = nil) {
        self.exact = exact
        self.rank = rank
        self.tail = tail
        self.dominant = dominant
        self.observedNull = observedNull
    }

    public func tail(in scope: ScopedShare.Scope) -> ScopedShare? { tail.first { $0.scope == scope } }
    public func exact(in scope: ScopedShare.Scope) -> ScopedShare? { exact.first { $0.scope == scope } }
}

/// A share of one part of a reference's change, in one scope, with its 95% interval.
public struct ScopedShare: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, Equatable {
        case model, component, group
    }

    public struct Scope: Sendable, Codable, Equatable, Hashable {
        public var kind: Kind
        /// `model`, a component (`unet`, `clip_l`, `clip_g`) or a block group's id.
        public var name: String
        public init(kind: Kind, name: String) {
            self.kind = kind
            self.name = name
        }
        public static let model = Scope(kind: .model, name: "model")
    }

    public var scope: Scope
    public var share: Double?
    public var interval: IntervalPair?
    /// For an exact-axis share: how consistently the tensors carry it (see `CopiedStructure`).
    public var coherence: Double?

    public init(scope: Scope, share: Double?, interval: IntervalPair?, coherence: Double? = nil) {
        self.coherence = coherence
        self.scope = scope
        self.share = share
        self.interval = interval
    }
}

/// The tail shares of an independent sibling reference: what a model that did not copy the
/// reference's weights carries of them, measured, not assumed.
public struct ObservedNull: Sendable, Codable, Equatable {
    /// The sibling reference measured as if it were the candidate.
    public var reference: String
    public var tail: [ScopedShare]
    /// The sibling's exact-axis shares, where measured.
    public var exact: [ScopedShare]

    public init(reference: String, tail: [ScopedShare], exact: [ScopedShare] = []) {
        self.exact = exact
        self.reference = reference
        self.tail = tail
    }

    public func tail(in scope: ScopedShare.Scope) -> ScopedShare? { tail.first { $0.scope == scope } }
    public func exact(in scope: ScopedShare.Scope) -> ScopedShare? { exact.first { $0.scope == scope } }
}

extension CopiedStructure {
    /// The tail shares of `terms` (one pair's, against one candidate) by scope, the whole
    /// model first, then components and `groups` in order; the deepest probed rank's terms.
    static func tailShares(_ terms: [SpectralPass.Terms], groups: [BlockGroup]) -> [ScopedShare] {
        guard let deepest = SpectralPass.ranks.indices.last else { return [] }
        return scopes(groups).compactMap { scope, admits in
            let inside = terms.filter { admits($0.block) }
            guard !inside.isEmpty else { return nil }
            return share(inside, part: { ($0.cd - $0.cl[deepest], $0.dd - $0.ll[deepest]) }, scope: scope)
        }
    }

    /// The whole model, the components and the block groups, each with the blocks it admits.
    static func scopes(_ groups: [BlockGroup]) -> [(ScopedShare.Scope, (String) -> Bool)] {
        var scopes: [(ScopedShare.Scope, (String) -> Bool)] = [(.model, { _ in true })]
        for component in ["unet", "clip_l", "clip_g"] {
            scopes.append((ScopedShare.Scope(kind: .component, name: component), { $0 == component || $0.hasPrefix(component + ".") }))
        }
        for group in groups { scopes.append((ScopedShare.Scope(kind: .group, name: group.id), group.contains(block:))) }
        return scopes
    }

    /// The exact-axis share of every scope where it was measured, with its coherence.
    static func exactShares(_ terms: [SpectralPass.Terms], groups: [BlockGroup]) -> [ScopedShare] {
        scopes(groups).compactMap { scope, admits in exactShare(terms.filter { admits($0.block) }, scope: scope) }
    }

    /// The share of the top directions (the deepest probed rank's ⟨c, L_k⟩/‖L_k‖²), whole model.
    static func dominantShare(_ terms: [SpectralPass.Terms]) -> ScopedShare? {
        guard let deepest = SpectralPass.ranks.indices.last, !terms.isEmpty else { return nil }
        return share(terms, part: { ($0.cl[deepest], $0.ll[deepest]) }, scope: .model)
    }

    /// The exact-axis share over the tensors where it was measured, and its coherence
    /// β² / (β² + V), V the spread of the tensors' own slopes around β weighted as the pooled
    /// slope weighs them.
    static func exactShare(_ terms: [SpectralPass.Terms], scope: ScopedShare.Scope) -> ScopedShare? {
        let measured = terms.filter { $0.exactDen > 0 }
        guard !measured.isEmpty else { return nil }
        var share = share(measured, part: { ($0.exactNum, $0.exactDen) }, scope: scope)
        guard let beta = share.share else { return share }
        let weight = measured.reduce(0) { $0 + $1.exactDen }
        let spread = measured.reduce(0) { sum, t in
            let slope = t.exactNum / t.exactDen
            return sum + t.exactDen * (slope - beta) * (slope - beta)
        } / weight
        let noise = measured.reduce(0) { $0 + $1.exactDen * $1.exactNoise } / weight
        share.coherence = noise > 0 ? 1 / (1 + max(0, spread / noise - 1)) : 0
        return share
    }

    /// Σ numerator / Σ denominator over `terms`, with a jackknife over blocks (over tensors
    /// when fewer than three blocks), identified only where the part holds a measurable
    /// fraction of the change's energy.
    static func share(_ terms: [SpectralPass.Terms], part: (SpectralPass.Terms) -> (Double, Double),
                      scope: ScopedShare.Scope) -> ScopedShare {
        var order: [String] = []
        var byBlock: [String: (Double, Double)] = [:]
        var whole = 0.0
        for t in terms {
            let (n, d) = part(t)
            if byBlock[t.block] == nil { order.append(t.block) }
            byBlock[t.block, default: (0, 0)].0 += n
            byBlock[t.block, default: (0, 0)].1 += d
            whole += t.dd
        }
        let units = order.count >= 3 ? order.map { byBlock[$0]! } : terms.map(part)
        let total = units.reduce((0.0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        func ratio(_ n: Double, _ d: Double) -> Double? { d > 1e-9 * whole && d > 0 ? n / d : nil }
        guard let estimate = ratio(total.0, total.1) else { return ScopedShare(scope: scope, share: nil, interval: nil) }
        let leftOut: [Double?]? = units.count >= 3 ? units.map { ratio(total.0 - $0.0, total.1 - $0.1) } : nil
        return ScopedShare(scope: scope, share: estimate, interval: Jackknife.interval(estimate: estimate, leaveOneOut: leftOut))
    }

    /// The evidence from one pair's terms against the candidate, and its sibling's.
    static func measure(candidate: [SpectralPass.Terms], groups: [BlockGroup],
                        sibling: (id: String, terms: [SpectralPass.Terms])?) -> CopiedStructure? {
        guard !candidate.isEmpty, let rank = SpectralPass.ranks.last else { return nil }
        let null = sibling.flatMap { s in
            s.terms.isEmpty ? nil : ObservedNull(reference: s.id, tail: tailShares(s.terms, groups: groups), exact: exactShares(s.terms, groups: groups))
        }
        return CopiedStructure(rank: rank, tail: tailShares(candidate, groups: groups), dominant: dominantShare(candidate),
                               exact: exactShares(candidate, groups: groups), observedNull: null)
    }
}
