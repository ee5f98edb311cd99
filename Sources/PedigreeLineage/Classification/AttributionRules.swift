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

        public init(id: String, ancestor: String?, whole: Measured?, clearing: [Measured]) {
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
    public func inconclusiveReferences(_ attribution: AttributionFigures, inherited: [Inheritance], eitherSign: Bool = false) -> [(id: String, measured: Measured)] {
        attribution.references.filter { reference in !inherited.contains { $0.id == reference.id } }.flatMap { reference in
            measurements(reference).filter { (eitherSign ? abs($0.share) : $0.share) >= settings.minimumShare && resolves($0) }.map { (id: reference.id, measured: $0) }
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

/// Shares and intervals as people read them: "60%", "58–62%".
enum Percent {
    static func share(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }
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
