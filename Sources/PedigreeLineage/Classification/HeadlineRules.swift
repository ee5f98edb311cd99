import Foundation
import PedigreeCompute
import PedigreePolicy

/// The verdict from headline numbers (the seed article's reading, README "Method"), for compare results
/// without attribution: published figures, or files written before attribution existed.
///
/// It works from headline numbers alone (each reference's mean cosine and the
/// reference-versus-reference baselines, as the seed article publishes them), and uses
/// delta measures when the compare result has them:
///
/// 1. Far from every reference (all below the lowest band): lineage unknown, not clean.
/// 2. The closest reference is the base. When the closest is an ancestor A of another
///    reference D (NoobAI descends from Illustrious 0.1), D counts too if it is as close
///    (within the borderline margin) and itself too close: the ambiguity is resolved
///    towards the stricter licence and flagged borderline.
/// 3. Delta measures settle A-versus-D questions: carrying ≥ 30% of D's change from A
///    (pointing D's way) means descent from D, whatever the headline says; carrying less
///    means the closeness to D is inherited from A (a fine-tune of Illustrious whose
///    changes merely resemble NoobAI's is not NoobAI).
/// 4. Another reference unrelated to the base (neither ancestor nor descendant) that is
///    itself too close points to a merge of two lines: both are inherited.
public struct HeadlineRules: Sendable {
    public let bands: BandClassifier
    public let deltaRule: DeltaRuleSettings
    /// Answers "is A an ancestor of D?" from the policy lineage graph.
    let isAncestor: @Sendable (String, String) -> Bool
    /// A model's ancestors, nearest first.
    let ancestors: @Sendable (String) -> [String]

    public init(bands: BandClassifier, deltaRule: DeltaRuleSettings, policies: PolicySet?) {
        self.bands = bands
        self.deltaRule = deltaRule
        let graph = policies?.lineage
        self.isAncestor = { ancestor, descendant in graph?.isAncestor(ancestor, of: descendant) ?? false }
        self.ancestors = { id in graph?.ancestors(of: id).map(\.id) ?? [] }
    }

    struct Scored {
        let id: String
        let score: Double
        let band: Band
    }

    public func classify(_ result: CompareResult) -> LineageDecision {
        let scored = result.references
            .filter { !$0.meanCosine.isNaN }
            .map { Scored(id: $0.id, score: $0.meanCosine, band: bands.band($0.meanCosine)) }
            .sorted { $0.score > $1.score }
        guard let closest = scored.first, closest.score >= bands.thresholds.largeDifference else {
            let best = scored.first.map { "closest: \($0.id) at \(LineageSummary.number($0.score))" } ?? "no usable figure"
            return LineageDecision(
                status: .unknown, likelyBase: nil, inherited: [], relation: .unknown, shares: [:], borderline: false,
                summary: "Far from every reference (\(best), below \(LineageSummary.number(bands.thresholds.largeDifference))): lineage unknown. This is not a clean bill: no reference explains these weights.")
        }
        let deltas = result.references.flatMap(\.deltas)
        func delta(_ ancestor: String, _ descendant: String) -> DeltaFigures? {
            deltas.first { $0.ancestor == ancestor && $0.descendant == descendant }
        }
        func carries(_ d: DeltaFigures) -> Bool { d.share >= deltaRule.carriesShare && d.cosine >= deltaRule.minimumCosine }
        /// The delta of `descendant` from its nearest ancestor among the references: the
        /// direct change is the informative one (NoobAI from Illustrious 0.1, not from SDXL).
        func nearestDelta(_ descendant: String) -> DeltaFigures? {
            for ancestor in ancestors(descendant) { if let d = delta(ancestor, descendant) { return d } }
            return deltas.first { $0.descendant == descendant }
        }
        func score(_ id: String) -> Scored? { scored.first { $0.id == id } }
        let margin = bands.thresholds.margin

        var inherited: [LineageDecision.Inherited] = []
        var borderline = false
        /// The deltas the candidate is judged to carry, by descendant.
        var carried: [String: DeltaFigures] = [:]
        var notes: [String] = []
        func carriedEvidence(_ d: DeltaFigures, of id: String, from ancestor: String, meanCosine: Double?, band: Band?) -> Evidence {
            Evidence(rule: .deltaShare, detail: "carries \(Percent.share(d.share)) of \(id)'s change from \(ancestor) (cosine \(LineageSummary.number(d.cosine)))",
                     figures: ["share": d.share, "delta_cosine": d.cosine] + (meanCosine.map { ["mean_cosine": $0] } ?? [:]), band: band)
        }

        // Rule 2/3: choose the base, letting delta measures overrule the headline.
        var base = closest
        var baseEvidence = [Evidence(
            rule: .closestReference,
            detail: "\(closest.id) is the closest reference (\(LineageSummary.number(closest.score)), \(closest.band.displayName))",
            figures: ["mean_cosine": closest.score] + (scored.count > 1 ? ["lead_over_next": closest.score - scored[1].score] : [:]),
            band: closest.band)]
        if let d = nearestDelta(closest.id), !carries(d) {
            if let ancestor = score(d.ancestor), ancestor.score >= bands.thresholds.largeDifference {
                notes.append("closest to \(closest.id), but it carries only \(Percent.share(d.share)) of \(closest.id)'s change from \(d.ancestor)")
                base = ancestor
                baseEvidence = [Evidence(
                    rule: .deltaShare, detail: "carries only \(Percent.share(d.share)) of \(d.descendant)'s change from \(d.ancestor) (cosine \(LineageSummary.number(d.cosine))): its closeness to \(d.descendant) comes from \(d.ancestor)",
                    figures: ["share": d.share, "delta_cosine": d.cosine, "mean_cosine": ancestor.score], band: ancestor.band)]
            }
        }
        inherited.append(.init(id: base.id, evidence: baseEvidence))

        // Descendants of the base among the references.
        for other in scored where other.id != base.id && isAncestor(base.id, other.id) {
            if let d = delta(base.id, other.id) ?? nearestDelta(other.id).flatMap({ isAncestor(base.id, $0.ancestor) || $0.ancestor == base.id ? $0 : nil }) {
                guard carries(d) else { continue }
                carried[other.id] = d
                inherited.append(.init(id: other.id, evidence: [carriedEvidence(d, of: other.id, from: base.id, meanCosine: other.score, band: other.band)]))
            } else if other.band == .tooClose, other.score >= base.score - margin {
                borderline = true
                var figures = ["mean_cosine": other.score, "gap_to_closest": base.score - other.score]
                if let estimate = headlineShare(ancestor: base, descendant: other, result: result) { figures["estimated_share"] = estimate }
                inherited.append(.init(id: other.id, evidence: [Evidence(
                    rule: .withinMarginOfClosest,
                    detail: "as close as \(base.id) (\(LineageSummary.number(other.score)) vs \(LineageSummary.number(base.score)), within \(LineageSummary.number(margin))) and too close itself: counted, as the stricter reading",
                    figures: figures, band: other.band)]))
            }
        }
        // When the base is itself a descendant D of another reference A, the share of D's
        // change the candidate carries tells a merge from a fine-tune.
        if let d = nearestDelta(base.id), carries(d) {
            carried[base.id] = d
            inherited[0].evidence.append(carriedEvidence(d, of: base.id, from: d.ancestor, meanCosine: nil, band: nil))
        }
        if carried[base.id] == nil, let ancestor = scored.first(where: { isAncestor($0.id, base.id) }),
           let estimate = headlineShare(ancestor: ancestor, descendant: base, result: result) {
            inherited[0].evidence.append(Evidence(
                rule: .headlineShareEstimate,
                detail: "from the headline figures and the \(ancestor.id)–\(base.id) baseline, about \(Percent.share(estimate)) of \(base.id)'s change from \(ancestor.id)",
                figures: ["estimated_share": estimate], band: nil))
        }

        // Rule 4: an unrelated line that is too close as well.
        let lines = inherited.map(\.id)
        for other in scored where !lines.contains(other.id) && other.band == .tooClose {
            let related = lines.contains { isAncestor($0, other.id) || isAncestor(other.id, $0) }
            guard !related else { continue }
            inherited.append(.init(id: other.id, evidence: [Evidence(
                rule: .tooCloseUnrelated, detail: "too close (\(LineageSummary.number(other.score))) to a reference from another line than \(base.id): likely merged in",
                figures: ["mean_cosine": other.score], band: other.band)]))
        }

        // Borderline between the base and the next reference.
        if let runnerUp = scored.first(where: { $0.id != base.id }), abs(base.score - runnerUp.score) < margin,
           !inherited.contains(where: { $0.id == runnerUp.id }) {
            borderline = true
            notes.append("\(runnerUp.id) is nearly as close (\(LineageSummary.number(runnerUp.score)))")
        }
        // Near the lowest bound the very question "is there a known lineage?" is close.
        let lowest = bands.thresholds.largeDifference
        let baseInterval = result.references.first { $0.id == base.id }?.interval
        if abs(base.score - lowest) < margin || (baseInterval.map { $0.low < lowest } ?? false) {
            borderline = true
            notes.append("the closest figure is near the \(LineageSummary.number(lowest)) floor of the bands")
        }

        // A descendant of the base cleared by cosines alone may still be there with the top
        // of its change subtracted (the seed article's "un-merge" of HoJ 3.0 into 4.0): only
        // the weights show that, so the reading says what it cannot rule out.
        let cleared = scored.filter { s in isAncestor(base.id, s.id) && !inherited.contains { $0.id == s.id } }.map(\.id)
        if deltas.isEmpty, !cleared.isEmpty {
            notes.append("headline cosines cannot rule out a descendant whose change was partly subtracted (\(cleared.joined(separator: ", ")): a LoRA of its change merged at negative strength lowers the cosine and leaves the rest of the change; an audit of the weights measures each change's spectral profile")
        }

        let shares = carried.mapValues(\.share)
        let relation: LineageVerdict.Relation
        if inherited.count > 1 && shares.isEmpty {
            relation = .merge
        } else if let share = shares.values.max(), share < deltaRule.fullShare {
            relation = .merge
        } else {
            relation = .finetune
        }
        // The likely base is the most specific inherited model: one no other inherited model descends from.
        let mostSpecific = inherited.last { candidate in !inherited.contains { isAncestor(candidate.id, $0.id) } }
        return LineageDecision(
            status: .identified, likelyBase: mostSpecific?.id ?? base.id,
            inherited: inherited, relation: relation, shares: shares, borderline: borderline,
            summary: summary(base: base, inherited: inherited, relation: relation, carried: carried, borderline: borderline, notes: notes))
    }

    /// From headline numbers alone: treating mean cosines as angles between unit vectors,
    /// a candidate C = A + α(D − A) + ε has α ≈ ½ + (s_CD − s_CA) / (2(1 − s_AD)).
    func headlineShare(ancestor: Scored, descendant: Scored, result: CompareResult) -> Double? {
        guard let baseline = result.baselines.first(where: { Set([$0.a, $0.b]) == Set([ancestor.id, descendant.id]) }),
              baseline.meanCosine < 1 else { return nil }
        return 0.5 + (descendant.score - ancestor.score) / (2 * (1 - baseline.meanCosine))
    }

    func summary(base: Scored, inherited: [LineageDecision.Inherited], relation: LineageVerdict.Relation,
                 carried: [String: DeltaFigures], borderline: Bool, notes: [String]) -> String {
        var text: String
        let ids = inherited.map(\.id)
        if let (id, d) = carried.max(by: { $0.value.share < $1.value.share }), d.share < deltaRule.fullShare {
            text = "A merge carrying \(Percent.share(d.share)) of \(id)'s change from \(d.ancestor)"
        } else if ids.count > 1 {
            text = "Close to \(ids.joined(separator: " and ")): likely a merge of these lines"
        } else {
            text = "Descends from \(base.id) (\(LineageSummary.number(base.score)), \(base.band.displayName))"
        }
        if !notes.isEmpty { text += "; " + notes.joined(separator: "; ") }
        if borderline { text += ". Borderline: the figures sit near a threshold or a tie, so read the evidence below" }
        return text + "."
    }
}


extension Dictionary {
    static func + (lhs: Self, rhs: Self) -> Self { lhs.merging(rhs) { $1 } }
}
