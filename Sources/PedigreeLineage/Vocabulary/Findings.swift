/// How much a finding weighs. `error` fails the audit (exit 1); `warning` and `info` are
/// shown and never change the exit status.
public enum FindingSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// Every release-level finding Pedigree raises, with its stable code. Codes are never
/// renumbered; new ones are appended. The README's table lists the same.
public enum FindingCode: String, Sendable, Codable, CaseIterable {
    /// A detected base the manifest does not declare.
    case undeclaredBase = "LN001"
    /// The chosen licence is not allowed by an inherited licence.
    case licenceNotAllowed = "LN002"
    /// Commercial use intended where an inherited licence forbids it.
    case commercialUseForbidden = "LN003"
    /// No reference explains the weights.
    case lineageUnknown = "LN004"
    /// A compared reference the policies do not describe.
    case referenceNotInPolicies = "LN005"
    /// A figure sits within the margin of a threshold or tie.
    case borderline = "LN006"
    /// The candidate descends from a model the policies do not describe.
    case inheritedModelNotInPolicies = "LN007"
    /// The chosen licence needs a person's review.
    case licenceNeedsReview = "LN008"
    /// A reference's share is above the minimum but its interval does not clear it.
    case attributionInconclusive = "LN009"
    /// A model descending from the lineage found, with another licence, was not compared.
    case referenceNotCompared = "LN010"
    /// A reference was compared without any of its ancestors: its own change is unmeasurable.
    case ancestorNotCompared = "LN011"
    /// Less of a component in the release's scope was compared than the policy's minimum.
    case incompleteCoverage = "LN012"
    /// The candidate is byte for byte one of the compared references.
    case identicalToReference = "LN013"
    /// The top of a reference's change is subtracted (a LoRA of it merged at negative strength).
    case subtractedChange = "LN014"
    /// A model the file's own metadata declares was compared and the weights do not show it.
    case declaredModelContradicted = "LN015"
    /// A model the file's embedded recipe or ModelSpec names is missing from the manifest's bases.
    case declaredModelNotInManifest = "LN016"
    /// The weights show a model the file's own metadata, which declares a lineage, does not name.
    case measuredModelUndeclared = "LN017"
    /// The candidate is byte for byte a model file the policies know (by SHA-256).
    case identicalToKnownModel = "LN018"
    /// A LoRA's change is a reference's change reversed: it removes that change, and is made from it.
    case reversedChange = "LN019"
    /// The candidate's hidden units are reordered from its references' order (a re-basin).
    case permutedWeights = "LN020"

    /// The severity each code is raised with.
    public var severity: FindingSeverity {
        switch self {
        case .undeclaredBase, .licenceNotAllowed, .commercialUseForbidden, .lineageUnknown,
             .inheritedModelNotInPolicies, .attributionInconclusive, .referenceNotCompared, .ancestorNotCompared, .incompleteCoverage,
             .declaredModelNotInManifest: .error
        case .referenceNotInPolicies, .borderline, .licenceNeedsReview, .identicalToReference, .subtractedChange,
             .declaredModelContradicted, .measuredModelUndeclared, .identicalToKnownModel, .reversedChange, .permutedWeights: .warning
        }
    }
}
