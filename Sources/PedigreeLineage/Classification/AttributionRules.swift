import PedigreeCompute
import PedigreePolicy

/// The verdict from weights: each rule reads the attribution (each reference's share of the
/// candidate's change, with 95% intervals) and returns its evidence; `LineageClassifier`
/// combines them and `LineageSummary` words the result.
public struct AttributionRules: Sendable {
    public let settings: AttributionSettings
    public let bands: BandClassifier

    public init(settings: AttributionSettings, bands: BandClassifier) {
        self.settings = settings
        self.bands = bands
    }

    /// Where a share was measured: the whole model, a component, or a block group.
    public enum Scope: Sendable, Equatable {
        case model
        case component(String)
        case group(String)

        public var name: String {
            switch self {
            case .model: "the whole model"
            case .component(let name): name
            case .group(let id): id
            }
        }
    }

    /// One share with its place and interval.
    public struct Measured: Sendable, Equatable {
        public var scope: Scope
        public var share: Double
        public var interval: IntervalPair?

        public init(scope: Scope, share: Double, interval: IntervalPair?) {
            self.scope = scope
            self.share = share
            self.interval = interval
        }
    }

    /// A reference whose share credibly clears the minimum somewhere.
    public struct Inheritance: Sendable, Equatable {
        public var id: String
        public var ancestor: String?
        public var whole: Measured?
        /// Every scope whose interval clears the minimum, the whole model first.
        public var clearing: [Measured]
        /// Set when copied structure decided: `clearing` then holds tail shares.
        public var copied: CopiedStructure?

        public init(id: String, ancestor: String?, whole: Measured?, clearing: [Measured], copied: CopiedStructure? = nil) {
            self.copied = copied
            self.id = id
            self.ancestor = ancestor
            self.whole = whole
            self.clearing = clearing
        }
    }

    /// Every share of one reference: the whole model, each component, each block group.
    func measurements(_ reference: ReferenceAttribution) -> [Measured] {
        var all: [Measured] = []
        if let share = reference.share { all.append(Measured(scope: .model, share: share, interval: reference.interval)) }
        all += reference.components.compactMap { part in part.share.map { Measured(scope: .component(part.name), share: $0, interval: part.interval) } }
        all += reference.groups.compactMap { part in part.share.map { Measured(scope: .group(part.name), share: $0, interval: part.interval) } }
        return all
    }

    /// Rule 1: a reference is inherited when the low end of a share's interval clears the
    /// minimum for the whole model, a component or a block group. A share without an
    /// interval never clears: there is nothing to say it is not noise.
    ///
    /// For a LoRA (`eitherSign`), a change that is a reference's change reversed counts too:
    /// a LoRA that removes NoobAI's change (the seed article's "un-NAI-ify" LoRA, NoobAI's
    /// change extracted and negated) is made from NoobAI's weights as much as one that adds it.
    public func credibleInheritance(_ attribution: AttributionFigures, eitherSign: Bool = false) -> [Inheritance] {
        attribution.references.compactMap { reference in
            let measured = measurements(reference)
            // Where copied structure was measured, it alone decides (`copiedClearing`).
            if !eitherSign, let evidence = reference.evidence {
                let clearing = copiedClearing(evidence, subtracted: reference.subtractedRank != nil)
                guard !clearing.isEmpty else { return nil }
                return Inheritance(id: reference.id, ancestor: reference.ancestor, whole: measured.first { $0.scope == .model },
                                   clearing: clearing.map { Measured(scope: $0.scope.attributionScope, share: $0.share ?? 0, interval: $0.interval) },
                                   copied: evidence)
            }
            let clearing = measured.filter {
                ($0.interval?.low ?? -.infinity) >= settings.minimumShare
                    || (eitherSign && ($0.interval?.high ?? .infinity) <= -settings.minimumShare)
            }
            guard !clearing.isEmpty else { return nil }
            return Inheritance(id: reference.id, ancestor: reference.ancestor,
                               whole: measured.first { $0.scope == .model }, clearing: clearing)
        }
    }

    /// Rule 2: a share whose estimate reaches the minimum while its interval does not clear
    /// it. Neither inheritance nor its absence is shown: the audit cannot verify it.
    /// Only a share that could have told: one whose interval is no wider than ±minimum (it
    /// can separate zero from the minimum). A wider one is unresolved noise (a small block
    /// group where the reference's change is faint, say) and counts neither way, so it cannot
    /// block an honest release; the whole model and the components still judge it.
    public func inconclusiveReferences(_ attribution: AttributionFigures, inherited: [Inheritance], eitherSign: Bool = false)
        -> [(id: String, measured: Measured, basis: InconclusiveBasis)] {
        attribution.references.filter { reference in !inherited.contains { $0.id == reference.id } }.flatMap { reference -> [(id: String, measured: Measured, basis: InconclusiveBasis)] in
            // Copied structure above the floor that does not clear it or the observed null.
            if !eitherSign, let evidence = reference.evidence {
                // Unmeasured exact axes with a credible dominant share: a LoRA of the top
                // directions and training on similar data cannot be told apart here.
                if evidence.exact.isEmpty, reference.subtractedRank == nil, let dominant = evidence.dominant, (dominant.interval?.low ?? -1) >= settings.minimumShare {
                    return [(id: reference.id, measured: Measured(scope: .model, share: dominant.share ?? 0, interval: dominant.interval),
                             basis: .exactAxesUnmeasured)]
                }
                // Only a tail share whose interval could separate zero from the floor counts:
                // a wide one (a small group where the change is faint) tells nothing either way.
                // Where the exact axes were measured, only a coherent exact-axis share can be
                // inconclusive; elsewhere the tail.
                let candidates = evidence.exact.isEmpty ? evidence.tail : evidence.exact.filter { ($0.coherence ?? 0) >= settings.exactCoherence }
                let clearing = copiedClearing(evidence, subtracted: reference.subtractedRank != nil)
                return candidates.filter { part in
                    guard let share = part.share, share >= settings.copiedFloor,
                          let interval = part.interval, (interval.high - interval.low) / 2 <= settings.copiedFloor else { return false }
                    return !clearing.contains { $0.scope == part.scope }
                }.map { (id: reference.id, measured: Measured(scope: $0.scope.attributionScope, share: $0.share ?? 0, interval: $0.interval),
                         basis: .copiedStructure) }
            }
            return measurements(reference).filter { (eitherSign ? abs($0.share) : $0.share) >= settings.minimumShare && resolves($0) }.map { (id: reference.id, measured: $0, basis: .share) }
        }
    }

    /// Rule 1, on copied structure: the scopes whose tail share's interval clears the floor
    /// and lies wholly above the null observed on an independent sibling in the same scope
    /// (its interval's high end; its share when it has no interval). A scope without an
    /// interval never clears.
    ///
    /// Where the candidate's coordinates on the exact axes were measured they decide, scope
    /// by scope (`exactClearing`): a look-alike's energy in the dominant subspace leaks a
    /// little into the tail (the reference's singular vectors are not exactly its dominant
    /// subspace), while its exact-axis share is incoherent. The tail decides where the exact
    /// axes were not measured (sampled rows), and always when the profile shows the top of
    /// the change subtracted (an un-merge removes the exact axes and keeps the tail).
    public func copiedClearing(_ evidence: CopiedStructure, subtracted: Bool = false) -> [ScopedShare] {
        // Tails from sampled rows carry the sampling's noise in wide intervals: a tail needs
        // only to clear the floor and the null, and to be a plausible merge weight.
        let tails = evidence.tail.filter { tail in
            (subtracted || evidence.exact(in: tail.scope) == nil) && clears(tail, null: evidence.observedNull?.tail(in: tail.scope), precise: false)
        }
        let exact = evidence.exact.filter { exactClears($0, null: evidence.observedNull?.exact(in: $0.scope)) }
        var seen = Set<ScopedShare.Scope>()
        return (exact + tails).filter { seen.insert($0.scope).inserted }
    }

    /// An exact-axis share clears when it clears the floor and the sibling's share in the same
    /// scope, and the tensors agree on it (`exact_coherence`).
    func exactClears(_ exact: ScopedShare, null: ScopedShare?) -> Bool {
        guard let coherence = exact.coherence, coherence >= settings.exactCoherence else { return false }
        return clears(exact, null: null)
    }

    /// A share whose interval clears the floor and lies above the null's interval, measured
    /// precisely enough to be a merge weight: its interval's half-width at most half the
    /// share (a share at least four standard errors from zero, so that among a reference's
    /// dozen scopes noise does not clear by chance), and its low end at most
    /// `maximumCopiedShare` (an add-difference merges a change at up to about twice its
    /// size; a share beyond that is an unrelated change's noise, as a far-off model's
    /// small scopes give).
    func clears(_ share: ScopedShare, null: ScopedShare?, precise: Bool = true) -> Bool {
        guard let value = share.share, let interval = share.interval, interval.low >= settings.copiedFloor,
              !precise || (interval.high - interval.low) / 2 <= value / 2, interval.low <= Self.maximumCopiedShare else { return false }
        let low = interval.low
        guard let null, let nullShare = null.share else { return true }
        return low > (null.interval?.high ?? nullShare)
    }

    /// The largest share a copy of weights is read at (see `clears`).
    static let maximumCopiedShare = 2.0

    /// A reference whose whole-change share would have cleared the old minimum while it
    /// carries nothing of the change beyond the dominant directions: what training on
    /// similar data looks like. Named in the summary so the reader sees why it was cleared.
    public func lookalikes(_ attribution: AttributionFigures, inherited: [Inheritance]) -> [(id: String, dominant: ScopedShare)] {
        attribution.references.compactMap { reference in
            guard !inherited.contains(where: { $0.id == reference.id }), let evidence = reference.evidence, !evidence.exact.isEmpty,
                  let dominant = evidence.dominant, let low = dominant.interval?.low, low >= settings.copiedFloor else { return nil }
            return (reference.id, dominant)
        }
    }

    /// Whether a share's interval is narrow enough to separate zero from the minimum.
    public func resolves(_ measured: Measured) -> Bool {
        guard let interval = measured.interval else { return true }
        return (interval.high - interval.low) / 2 <= settings.minimumShare
    }

    /// Rule 3: when no reference's own change is carried, the candidate belongs to a root's
    /// line only if it is close to that line (the seed article's lowest band) — otherwise nothing
    /// explains its weights and the lineage is unknown, which is not a clean bill.
    public func rootLine(_ attribution: AttributionFigures, references: [ReferenceFigures]) -> (id: String, score: Double)? {
        let scored = references.filter { !$0.meanCosine.isNaN }.sorted { $0.meanCosine > $1.meanCosine }
        guard let closest = scored.first, closest.meanCosine >= bands.thresholds.largeDifference else { return nil }
        // The root whose tree holds the closest reference; with one root, that root.
        let root = attribution.roots.count == 1 ? attribution.roots[0] : closest.id
        return (root, closest.meanCosine)
    }

    /// Rule 4: a fine-tune of the most specific inherited reference when it carries at least
    /// `fineTuneShare` of its change over the whole model, a merge otherwise.
    public func relation(mostSpecific: Inheritance?, inheritedCount: Int, lines: Int) -> LineageVerdict.Relation {
        guard let mostSpecific else { return inheritedCount > 0 ? .finetune : .unknown }
        if lines > 1 { return .merge }
        let share = mostSpecific.whole?.share ?? 0
        return share >= settings.fineTuneShare ? .finetune : .merge
    }

    /// The evidence line for an inherited reference.
    public func evidence(for inheritance: Inheritance) -> Evidence {
        if let copied = inheritance.copied { return copiedEvidence(inheritance, copied) }
        let places = inheritance.clearing.map { measured in
            "\(measured.scope.name) \(Percent.share(measured.share))\(measured.interval.map { " [\(Percent.interval($0))]" } ?? "")"
        }
        var figures: [String: Double] = [:]
        if let whole = inheritance.whole {
            figures["share"] = whole.share
            if let interval = whole.interval { figures["share_low"] = interval.low; figures["share_high"] = interval.high }
        }
        figures["minimum_share"] = settings.minimumShare
        let whose = inheritance.ancestor.map { "\(inheritance.id)'s change from \($0)" } ?? "\(inheritance.id)'s line"
        let reversed = (inheritance.whole?.share ?? 0) < 0 ? ", reversed (a LoRA removing it is made from its weights)" : ""
        return Evidence(
            rule: .attributionShare,
            detail: "carries \(whose)\(reversed) \(reversed.isEmpty ? "above" : "beyond") the \(Percent.share(settings.minimumShare)) minimum in " + places.joined(separator: ", "),
            figures: figures, band: nil)
    }
}

extension AttributionRules {
    /// "carries 8% [7–9%] of noobai's change from illustrious beyond its top 256 directions…"
    func copiedEvidence(_ inheritance: Inheritance, _ copied: CopiedStructure) -> Evidence {
        let places = inheritance.clearing.map { measured in
            "\(measured.scope.name) \(Percent.share(measured.share))\(measured.interval.map { " [\(Percent.interval($0))]" } ?? "")"
        }
        var figures: [String: Double] = ["copied_floor": settings.copiedFloor]
        if let tail = copied.tail(in: .model), let share = tail.share {
            figures["tail_share"] = share
            if let interval = tail.interval { figures["tail_share_low"] = interval.low; figures["tail_share_high"] = interval.high }
        }
        if let whole = inheritance.whole { figures["share"] = whole.share }
        if let dominant = copied.dominant?.share { figures["dominant_share"] = dominant }
        let null = copied.observedNull.flatMap { null in
            null.tail(in: .model).flatMap { $0.share }.map { share -> String in
                figures["observed_null"] = share
                return " and the null observed on \(null.reference) (\(Percent.fine(share)))"
            }
        } ?? ""
        let whose = inheritance.ancestor.map { "\(inheritance.id)'s change from \($0)" } ?? "\(inheritance.id)'s line"
        return Evidence(
            rule: .copiedStructure,
            detail: "carries \(whose) in directions independent training does not reproduce (beyond its top \(copied.rank)), above the \(Percent.fine(settings.copiedFloor)) floor\(null), in "
                + places.joined(separator: ", ") + ": a copy of weights",
            figures: figures, band: nil)
    }
}

extension ScopedShare.Scope {
    /// The classifier's name for the same place.
    var attributionScope: AttributionRules.Scope {
        switch kind {
        case .model: .model
        case .component: .component(name)
        case .group: .group(name)
        }
    }
}

/// Shares and intervals as people read them: "60%", "58–62%".
enum Percent {
    static func share(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }
    /// Tenths of a percent: small shares and floors ("2.0%", "0.3%").
    static func fine(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    /// Whole percents, or tenths when the interval is narrower than two points.
    static func interval(_ interval: IntervalPair) -> String {
        let digits = interval.high - interval.low < 0.02 ? 1 : 0
        return String(format: "%.\(digits)f–%.\(digits)f%%", interval.low * 100, interval.high * 100)
    }
}

extension AttributionSettings {
    /// The policy's block groups as the compute core takes them.
    public var comparisonGroups: [PedigreeCompute.BlockGroup] {
        blockGroups.map { PedigreeCompute.BlockGroup(id: $0.id, blocks: $0.blocks) }
    }
}
