/// What `policy show` prints for a licence: its terms, the licences it extends (whose
/// obligations apply too), every obligation with the licence it comes from, and the models
/// the set records under it.
public struct LicencePolicySummary: Codable, Equatable, Sendable {
    public struct LicencedObligation: Codable, Equatable, Sendable {
        public var obligation: Obligation
        /// The licence in the `extends` chain that states it (this one, or one it extends).
        public var licenceId: String
    }

    public var licence: Licence
    /// This licence's `extends` chain after itself (NoobAI's terms → FAIPL-1.0-SD).
    public var extends: [String]
    public var obligations: [LicencedObligation]
    /// Models whose own `licence:` is this one.
    public var models: [String]

    public init?(licenceId: String, in set: PolicySet) {
        guard let licence = set.licence(licenceId) else { return nil }
        let chain = set.extendsChain(of: licence.id)
        self.licence = licence
        extends = chain.dropFirst().map(\.id)
        obligations = chain.flatMap { owner in owner.obligations.map { LicencedObligation(obligation: $0, licenceId: owner.id) } }
        models = set.models.filter { $0.licence.id == licence.id }.map(\.id)
    }
}

extension PolicySet {
    /// The licence an id, name or Hugging Face identifier refers to (id first, then the
    /// licence's name or Hugging Face `license_name`, without case).
    public func licence(matching name: String) -> Licence? {
        if let licence = licence(name) { return licence }
        let lower = name.lowercased()
        return licences.first { $0.name.lowercased() == lower }
    }
}
