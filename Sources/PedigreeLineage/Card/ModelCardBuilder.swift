import PedigreePolicy

/// The Hugging Face model-card front matter that follows from the findings: the licence
/// to declare, the base models to list, and how the checkpoint relates to them.
public enum ModelCardBuilder {
    public static func build(decision: LineageDecision, policies: PolicySet, manifest: ReleaseManifest?) -> ModelCardFragment {
        let direct = decision.inherited.map(\.id)
        let repos = direct.compactMap { policies.model($0)?.huggingfaceRepo }
        // The manifest's licence when it is allowed; otherwise the licence of the most
        // specific base, which is what the weights carry.
        var licenceId = decision.lineage.likelyBase.flatMap { policies.model($0)?.licence.id }
        if let manifest, policies.licence(manifest.licence.id) != nil {
            let allowed = direct.allSatisfy { id in
                DerivativeLicenceCheck.check(chosen: manifest.licence.id, for: id, in: policies).allSatisfy { $0.verdict == .allowed }
            }
            if allowed { licenceId = manifest.licence.id }
        }
        let identifiers = licenceId.flatMap { policies.licence($0)?.identifiers.huggingface }
        let relation: String? = switch decision.lineage.relation {
        case .merge: "merge"
        case .finetune: "finetune"
        case .unknown: nil
        }
        return ModelCardFragment(
            license: identifiers?.license, licenseName: identifiers?.licenseName, licenseLink: identifiers?.licenseLink,
            baseModel: repos, baseModelRelation: decision.lineage.status == .unknown ? nil : relation)
    }
}
