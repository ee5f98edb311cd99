import PedigreePolicy

/// Whether the references compared can support the verdict: which models the policies say
/// matter around the lineage found, and which of them were left out.
///
/// Two ways a left-out model changes the answer:
/// - **A missing ancestor.** A reference's own change is measured from its nearest compared
///   ancestor. With none compared at all, nothing separates its change from its ancestors':
///   any Illustrious fine-tune is "close to NoobAI" when NoobAI is all it is compared with.
///   Such an inheritance is unverifiable, never a verdict; the candidate is placed on the
///   reference's parent's line instead, which its closeness does show. (An uncompared model
///   *between* compared ones, such as Kohaku between SDXL and Illustrious, only widens the
///   reference's measured change, which can over-attribute but never launder.)
/// - **A missing descendant.** A model that descends from the lineage found, whose licence
///   differs from that of its nearest compared ancestor, could be what the candidate really
///   derives from (NoobAI under Illustrious), and nothing compared would show it. A model
///   with a compared descendant is covered: its change is part of that descendant's.
public struct CoverageRules: Sendable {
    public let policies: PolicySet
    public let compared: Set<String>

    public init(policies: PolicySet, compared: [String]) {
        self.policies = policies
        self.compared = Set(compared)
    }

    /// Every model of the policies that descends from `id`.
    func descendants(of id: String) -> [String] {
        policies.models.map(\.id).filter { $0 != id && policies.lineage.isAncestor(id, of: $0) }
    }

    /// `id`'s policy ancestors, nearest first.
    func ancestors(of id: String) -> [String] {
        policies.lineage.ancestors(of: id).sorted { $0.path.count < $1.path.count }.map(\.id)
    }

    /// Rule: a compared reference with ancestors in the policies, none of them compared.
    /// Returns its nearest policy parent (where the candidate is placed instead), or nil
    /// when the reference's change is measurable.
    public func missingAncestor(of id: String) -> String? {
        let line = ancestors(of: id)
        guard !line.isEmpty, !line.contains(where: compared.contains) else { return nil }
        return policies.lineage.parents(of: id).first?.id ?? line.first
    }

    /// Rule: the models that descend from any of `bases`, are not compared, have no compared
    /// descendant, and whose licence differs from their nearest compared ancestor's. Each is
    /// returned with that ancestor, in the policies' order.
    public func missingDescendants(of bases: [String]) -> [(id: String, under: String)] {
        var seen = Set<String>()
        var missing: [(id: String, under: String)] = []
        for base in bases {
            for id in descendants(of: base) where !compared.contains(id) && seen.insert(id).inserted {
                guard !descendants(of: id).contains(where: compared.contains),
                      let nearest = ancestors(of: id).first(where: compared.contains),
                      policies.model(id)?.licence.id != policies.model(nearest)?.licence.id else { continue }
                missing.append((id, nearest))
            }
        }
        return missing
    }
}
