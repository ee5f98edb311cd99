/// A reference's share of the candidate's change by part of its own change's spectrum:
/// rank 0 is the whole change (⟨c, Δ⟩/‖Δ‖²), rank k > 0 the share beyond rank k (the
/// residual Δ − L_k). JSON: `attribution.references[].spectral` (SCHEMA.md).
public struct SpectralShare: Sendable, Codable, Equatable {
    /// The full-width rank (0: the whole change); at reduced widths it was scaled.
    public var rank: Int
    public var share: Double?
    public var interval: IntervalPair?

    public init(rank: Int, share: Double?, interval: IntervalPair?) {
        self.rank = rank
        self.share = share
        self.interval = interval
    }
}

/// The profile of one reference pair, and whether it shows the top of the change removed.
struct SpectralProfile: Sendable, Equatable {
    /// rank 0 and every probed rank (residual shares).
    var shares: [SpectralShare]
    /// By probed rank: the share within the top k (⟨c, L_k⟩/‖L_k‖²) and its interval.
    var topShares: [SpectralShare]
    /// The largest probed rank at which the top-k share is far below the residual share,
    /// with intervals that keep them apart; nil for a flat profile.
    var removedRank: Int?

    /// How far below the residual share the top-k share must sit to read as a removal: an
    /// honest merge carries its share evenly along the spectrum (a flat profile), so a gap
    /// this large is not a merge weight. A LoRA merged at −1 sends the top-k share to
    /// (share − 1), a gap of 1.
    static let removalGap = 0.5

    /// Blocks are the jackknife's units, as for the whole-model attribution.
    init?(terms: [SpectralPass.Terms]) {
        guard !terms.isEmpty else { return nil }
        var order: [String] = []
        var byBlock: [String: SpectralPass.Terms] = [:]
        let zero = SpectralPass.ranks.map { _ in 0.0 }
        for t in terms {
            if byBlock[t.block] == nil { order.append(t.block) }
            var sum = byBlock[t.block] ?? SpectralPass.Terms(block: t.block, cd: 0, dd: 0, cl: zero, ll: zero)
            sum.cd += t.cd
            sum.dd += t.dd
            for r in zero.indices { sum.cl[r] += t.cl[r]; sum.ll[r] += t.ll[r] }
            byBlock[t.block] = sum
        }
        let units = order.map { byBlock[$0]! }
        func total(_ list: [SpectralPass.Terms]) -> SpectralPass.Terms {
            list.reduce(SpectralPass.Terms(block: "", cd: 0, dd: 0, cl: zero, ll: zero)) { sum, t in
                var sum = sum
                sum.cd += t.cd
                sum.dd += t.dd
                for r in zero.indices { sum.cl[r] += t.cl[r]; sum.ll[r] += t.ll[r] }
                return sum
            }
        }
        let all = total(units)
        let leftOut: [SpectralPass.Terms]? = units.count >= 3 ? units.indices.map { i in
            total(units.enumerated().filter { $0.offset != i }.map(\.element))
        } : nil
        /// Identified only where the part of the change is a measurable fraction of the whole.
        func ratio(_ num: Double, _ den: Double, whole: Double) -> Double? { den > 1e-9 * whole && den > 0 ? num / den : nil }
        func share(rank: Int, _ f: (SpectralPass.Terms) -> Double?) -> SpectralShare {
            let estimate = f(all)
            return SpectralShare(rank: rank, share: estimate,
                                 interval: estimate.flatMap { Jackknife.interval(estimate: $0, leaveOneOut: leftOut?.map(f)) })
        }
        var shares = [share(rank: 0) { ratio($0.cd, $0.dd, whole: $0.dd) }]
        var tops: [SpectralShare] = []
        for (r, rank) in SpectralPass.ranks.enumerated() {
            shares.append(share(rank: rank) { ratio($0.cd - $0.cl[r], $0.dd - $0.ll[r], whole: $0.dd) })
            tops.append(share(rank: rank) { ratio($0.cl[r], $0.ll[r], whole: $0.dd) })
        }
        self.shares = shares
        topShares = tops
        removedRank = Self.removal(residual: Array(shares.dropFirst()), top: tops)
    }

    /// The largest probed rank whose top-k share is at least `removalGap` below its residual
    /// share, with the top-k interval entirely below the residual interval.
    static func removal(residual: [SpectralShare], top: [SpectralShare]) -> Int? {
        zip(residual, top).filter { rest, top in
            guard let r = rest.share, let t = top.share, let ri = rest.interval, let ti = top.interval else { return false }
            return r - t >= removalGap && ti.high < ri.low
        }.map(\.0.rank).max()
    }

    /// The share beyond the largest probed rank: what the candidate carries when up to that
    /// rank of the change was subtracted.
    var deepestResidual: SpectralShare? { shares.last }
}
