import PedigreeFormat

/// How a declared model was matched to a model in the policies.
public enum DeclarationMatch: String, Codable, Sendable {
    /// The recorded SHA-256 is one of the model's known files.
    case sha256
    /// The recorded short hash is a known file's AutoV2 (or the first 10 digits of its SHA-256).
    case autov2
    /// The recorded name is the model's id, name, alias, Hugging Face repository or a known file name.
    case name
}

/// What the weights say about a declared model.
public enum DeclarationStatus: String, Codable, Sendable {
    /// The model is in the measured lineage (inherited, or an ancestor of what is).
    case confirmed
    /// The model was compared (or is an ancestor of a compared reference) and the weights
    /// do not show it.
    case contradicted
    /// Nothing compared can show whether the weights carry it.
    case notCompared = "not_compared"
    /// No model in the policies matches what the file names.
    case unresolved
}

/// One declared model, matched against the policies and read against the measurement.
public struct ResolvedDeclaration: Codable, Sendable, Equatable {
    public var declared: DeclaredModel
    /// The policy model it names, if one matches.
    public var policyId: String?
    public var matchedBy: DeclarationMatch?
    public var status: DeclarationStatus
}

/// The candidate's own claims next to the measured lineage (issue 13): ModelSpec, embedded
/// merge recipes, kohya's training base, marker tensors, and what could not be read, each
/// declared model resolved against the policies and the weights.
public typealias DeclaredLineageReport = DeclaredClaims<ResolvedDeclaration>
