import PedigreeCompute
import PedigreePolicy

/// Turns a compare result into a likely lineage (README, "Method" and "How lineage is decided").
///
/// From weights (a compare result with `attribution`), the verdict rests on each reference's
/// share of the candidate's change (`AttributionRules`); cosine bands are shown beside it as
/// the seed article's reading but gate nothing. From headline numbers alone (published
/// figures, older results), the seed article's reading is all there is (`HeadlineRules`).
public struct LineageClassifier: Sendable {
    public let bands: BandClassifier
    public let settings: ClassificationSettings
    let policies: PolicySet?

    public init(settings: ClassificationSettings, policies: PolicySet?) {
        self.settings = settings
        self.bands = BandClassifier(settings: settings)
        self.policies = policies
    }

    public func classify(_ result: CompareResult) -> LineageDecision {
        let decision = result.attribution.map { classify(result, attribution: $0) }
            ?? HeadlineRules(bands: bands, deltaRule: settings.deltaRule, policies: policies).classify(result)
        guard let policies else { return decision }
        return CoverageStep.apply(decision, rules: CoverageRules(policies: policies, compared: result.references.map(\.id)), result: result)
    }

    func isAncestor(_ a: String, _ d: String) -> Bool { policies?.lineage.isAncestor(a, of: d) ?? false }

    func classify(_ result: CompareResult, attribution: AttributionFigures) -> LineageDecision {
        let rules = AttributionRules(settings: settings.attribution, bands: bands)
        // A LoRA's change counts by its size whatever its sign (see `credibleInheritance`).
        let eitherSign = result.lora != nil
        let credible = rules.credibleInheritance(attribution, eitherSign: eitherSign)
        let open = rules.inconclusiveReferences(attribution, inherited: credible, eitherSign: eitherSign)
            .map { InconclusiveShare(id: $0.id, scope: $0.measured.scope.name, share: $0.measured.share, interval: $0.measured.interval, basis: $0.basis) }

        var inherited = credible.map { LineageDecision.Inherited(id: $0.id, evidence: [rules.evidence(for: $0)]) }
        if inherited.isEmpty {
            guard let root = rules.rootLine(attribution, references: result.references) else {
                let summary = LineageSummary.unknown(result: result, bands: bands, inconclusive: open)
                return LineageDecision(status: .unknown, likelyBase: nil, inherited: [], relation: .unknown, shares: [:],
                                       borderline: !open.isEmpty, summary: summary, inconclusive: open)
            }
            inherited = [LineageDecision.Inherited(id: root.id, evidence: [Evidence(
                rule: .rootLine,
                detail: "on \(root.id)'s line (closest reference at \(LineageSummary.number(root.score)), \(bands.band(root.score).displayName)) and carrying no compared descendant's change above the \(Percent.share(settings.attribution.minimumShare)) minimum",
                figures: ["mean_cosine": root.score, "unexplained": attribution.unexplained], band: bands.band(root.score))])]
        }
        // The most specific inheritance: one no other inherited reference descends from.
        let specific = credible.filter { item in !credible.contains { $0.id != item.id && isAncestor(item.id, $0.id) } }
        let mostSpecific = specific.max { ($0.whole?.share ?? 0) < ($1.whole?.share ?? 0) }
        let relation = rules.relation(mostSpecific: mostSpecific, inheritedCount: inherited.count, lines: specific.count)
        let shares = Dictionary(uniqueKeysWithValues: credible.compactMap { item in item.whole.map { (item.id, $0.share) } })
        let borderline = !open.isEmpty
        let likelyBase = mostSpecific?.id ?? inherited.last?.id
        let summary = LineageSummary.fromAttribution(
            inherited: credible, mostSpecific: mostSpecific, relation: relation, rootOnly: credible.isEmpty ? inherited.first?.id : nil,
            attribution: attribution, result: result, bands: bands, settings: settings.attribution, inconclusive: open,
            lookalikes: eitherSign ? [] : rules.lookalikes(attribution, inherited: credible))
        return LineageDecision(status: .identified, likelyBase: likelyBase, inherited: inherited, relation: relation,
                               shares: shares, borderline: borderline, summary: summary, inconclusive: open)
    }
}
