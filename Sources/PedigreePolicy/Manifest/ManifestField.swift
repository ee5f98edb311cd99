/// The release-manifest fields an obligation can point at as "how a release meets it".
///
/// Licences name these in `met_by.field`; the policy linter rejects any other path, so an
/// obligation can always be checked later as met / unmet / unverifiable against a manifest.
public enum ManifestField: String, Codable, CaseIterable, Sendable {
    case licence
    case commercialUse = "commercial_use"
    case weightsPublished = "weights_published"
    case licenceCopyIncluded = "licence_copy_included"
    case useRestrictionsPassedOn = "use_restrictions_passed_on"
    case changesStated = "changes_stated"
    case noticesRetained = "notices_retained"
    case recipe = "disclosures.recipe"
    case prompts = "disclosures.prompts"
    case workflows = "disclosures.workflows"
    case trainingData = "disclosures.training_data"
    case loras = "disclosures.loras"

    /// What kind of value the field holds, which decides the allowed expectations.
    public var kind: Kind {
        switch self {
        case .licence: .licence
        case .commercialUse, .weightsPublished, .licenceCopyIncluded, .useRestrictionsPassedOn,
             .changesStated, .noticesRetained: .flag
        case .recipe, .prompts, .workflows, .trainingData, .loras: .disclosure
        }
    }

    public enum Kind: Sendable {
        /// The chosen licence: met when the licence permits it for derivatives.
        case licence
        /// A boolean: met when it has the expected value.
        case flag
        /// A link or path: met when something is disclosed.
        case disclosure
    }

    /// The expectation assumed when a licence file does not spell one out.
    public var defaultExpectation: ManifestExpectation {
        switch kind {
        case .licence: .permitted
        case .flag: .isTrue
        case .disclosure: .disclosed
        }
    }

    public func accepts(_ expectation: ManifestExpectation) -> Bool {
        switch kind {
        case .licence: expectation == .permitted
        case .flag: expectation == .isTrue || expectation == .isFalse
        case .disclosure: expectation == .disclosed
        }
    }
}

/// What the named manifest field must say for the obligation to count as met.
public enum ManifestExpectation: String, Codable, CaseIterable, Sendable {
    /// The chosen licence is one the source licence allows for derivatives.
    case permitted
    case isTrue = "true"
    case isFalse = "false"
    /// A link or path is given.
    case disclosed
}
