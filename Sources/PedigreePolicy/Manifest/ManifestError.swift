import PedigreeSupport
import PedigreeYAML

/// What can be wrong with a release manifest. One line each, `file:line:col: field: rule
/// [MFnnn]`, exit status 2. Codes are stable: never renumber, only append.
public enum ManifestError: PedigreeError, Equatable {
    case yaml(YAMLIssue)
    case unreadable(path: String, reason: String)
    /// `bases` names a model the policy set does not have.
    case unknownBase(id: String, field: String, at: SourceLocation, suggestion: String?)
    /// The chosen licence matches no licence in the policy set.
    case unknownLicence(name: String, field: String, at: SourceLocation, suggestion: String?)
    /// Hugging Face identifiers that match several policy licences equally well.
    case ambiguousLicence(name: String, field: String, at: SourceLocation, candidates: [String])
    /// `file:` names another checkpoint than the one audited.
    case fileMismatch(declared: String, candidate: String, at: SourceLocation)
    /// `sha256:` is not the audited checkpoint's digest.
    case digestMismatch(declared: String, candidate: String, at: SourceLocation)

    public var code: String {
        switch self {
        case .yaml(let issue):
            switch issue.kind {
            case .syntax: "MF001"
            case .duplicateKey: "MF002"
            case .unknownField: "MF003"
            case .wrongType: "MF004"
            case .missingField: "MF005"
            case .invalidValue: "MF006"
            }
        case .unreadable: "MF007"
        case .unknownBase: "MF008"
        case .unknownLicence: "MF009"
        case .ambiguousLicence: "MF010"
        case .fileMismatch: "MF011"
        case .digestMismatch: "MF012"
        }
    }

    public var message: String {
        switch self {
        case .yaml(let issue):
            return issue.description
        case .unreadable(let path, let reason):
            return "\(path):1:1: (file): cannot read release manifest: \(reason)"
        case .unknownBase(let id, let field, let at, let suggestion):
            return "\(at): \(field): no base model '\(id)' in the policy set" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .unknownLicence(let name, let field, let at, let suggestion):
            return "\(at): \(field): no licence '\(name)' in the policy set" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .ambiguousLicence(let name, let field, let at, let candidates):
            return "\(at): \(field): '\(name)' matches several licences (\(candidates.joined(separator: ", "))); name one by id"
        case .fileMismatch(let declared, let candidate, let at):
            return "\(at): file: the manifest is for '\(declared)', but the checkpoint audited is '\(candidate)'; audit the file the manifest describes, or fix `file`"
        case .digestMismatch(let declared, let candidate, let at):
            return "\(at): sha256: the manifest is for a file with SHA-256 \(declared), but the checkpoint audited has \(candidate); audit the file the manifest describes, or fix `sha256`"
        }
    }
}
