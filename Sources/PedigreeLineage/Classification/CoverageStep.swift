import PedigreeCompute

/// Applies `CoverageRules` to a decision: an inheritance from a reference compared without
/// any ancestor becomes its parent's line (the reference unverifiable), and the uncompared
/// models that could change the answer are listed. Both become findings (LN011, LN010).
///
/// From published headline numbers (every reference of kind `published`) the seed article's
/// reading stands as its author made it, against Illustrious and NoobAI without SDXL: the
/// gaps are listed as findings, the verdict is not rewritten.
enum CoverageStep {
    static func apply(_ decision: LineageDecision, rules: CoverageRules, result: CompareResult) -> LineageDecision {
        var decision = decision
        let fromWeights = result.references.contains { $0.kind != .published }
        var inherited: [LineageDecision.Inherited] = []
        for item in decision.inherited {
            guard let parent = rules.missingAncestor(of: item.id) else {
                inherited.append(item)
                continue
            }
            decision.coverage.unverifiable.append((item.id, parent))
            guard fromWeights else {
                inherited.append(item)
                continue
            }
            let cosine = result.references.first { $0.id == item.id }?.meanCosine
            let closeness = cosine.map { " (mean cosine \(LineageSummary.number($0)))" } ?? ""
            guard !inherited.contains(where: { $0.id == parent }) else { continue }
            inherited.append(LineageDecision.Inherited(id: parent, evidence: [Evidence(
                rule: .parentOfUncoveredReference,
                detail: "close to \(item.id)\(closeness), which was compared without any of its ancestors: the candidate is at least on \(parent)'s line; whether it carries \(item.id)'s own change is unverifiable",
                figures: cosine.map { ["mean_cosine": $0] } ?? [:], band: nil)]))
        }
        if fromWeights, !decision.coverage.unverifiable.isEmpty {
            let replaced = Set(decision.coverage.unverifiable.map(\.reference))
            decision.inherited = inherited
            decision.lineage.shares = decision.lineage.shares.filter { !replaced.contains($0.key) }
            if let base = decision.lineage.likelyBase, let swap = decision.coverage.unverifiable.first(where: { $0.reference == base }) {
                decision.lineage.likelyBase = swap.parent
            }
            decision.lineage.borderline = true
            decision.lineage.summary = decision.coverage.unverifiable.map { gap in
                "Unverifiable: \(gap.reference) was compared without any of its ancestors, so nothing separates its own change from theirs; the weights place the candidate on \(gap.parent)'s line at least. Compare \(gap.parent) too."
            }.joined(separator: " ")
        }
        decision.coverage.notCompared = rules.missingDescendants(of: decision.inherited.map(\.id))
        return decision
    }
}
