/// Everything the policy set says a model passes on, in one value: what `policy show`
/// prints and what reports can embed.
public struct ModelPolicySummary: Codable, Equatable, Sendable {
    public var model: BaseModel
    public var lineage: LineageNode
    public var roots: [String]
    public var commercialUse: CommercialUse.Status
    /// The licence that makes commercial use restricted or forbidden, if any.
    public var commercialUseFrom: String?
    public var licences: [ReachedLicence]
    public var obligations: [InheritedObligation]

    public init?(modelId: String, in set: PolicySet) {
        guard let model = set.model(modelId) else { return nil }
        let commercial = DerivativeLicenceCheck.commercialUse(for: model.id, in: set)
        self.model = model
        lineage = set.lineage.tree(from: model.id)
        roots = set.lineage.roots(of: model.id)
        commercialUse = commercial.status
        commercialUseFrom = commercial.from
        licences = InheritedObligations.licences(for: model.id, in: set)
        obligations = InheritedObligations.obligations(for: model.id, in: set)
    }
}
