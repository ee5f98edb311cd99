import PedigreeSupport
import PedigreeYAML

/// What can go wrong in the policy-authoring tools (scaffolds, policy tests, manifest drafts,
/// export). One line each, exit status 2. Codes are stable: never renumber, only append.
public enum AuthoringError: PedigreeError, Equatable {
    /// A new id that is not a valid policy id.
    case invalidId(String)
    /// A parent named for a new model is not in the policy set.
    case unknownModel(String, suggestion: String?)
    /// A licence named for a new model or as `extends` is not in the policy set.
    case unknownLicence(String, suggestion: String?)
    /// The id or the file to write already exists.
    case alreadyExists(kind: String, id: String)
    /// A model with no parents needs `--licence`.
    case licenceNeeded(id: String)
    /// A policy test case file breaks its schema.
    case testCase(YAMLIssue)
    /// An audit report given to `manifest init` cannot be read.
    case badAudit(path: String, reason: String)
    /// The policy folder to write into is the embedded set (nothing to write into).
    case embeddedSet(action: String)

    public var code: String {
        switch self {
        case .invalidId: "AU001"
        case .unknownModel: "AU002"
        case .unknownLicence: "AU003"
        case .alreadyExists: "AU004"
        case .licenceNeeded: "AU005"
        case .testCase: "AU006"
        case .badAudit: "AU007"
        case .embeddedSet: "AU008"
        }
    }

    public var message: String {
        func hint(_ suggestion: String?) -> String { suggestion.map { "; did you mean '\($0)'?" } ?? "" }
        switch self {
        case .invalidId(let id):
            return "'\(id)' is not a valid policy id (use lower-case letters, digits, '.', '-', '_', '+')"
        case .unknownModel(let id, let suggestion):
            return "no base model '\(id)' in the policy set\(hint(suggestion))"
        case .unknownLicence(let id, let suggestion):
            return "no licence '\(id)' in the policy set\(hint(suggestion))"
        case .alreadyExists(let kind, let id):
            return "\(kind) '\(id)' already exists; edit it instead"
        case .licenceNeeded(let id):
            return "model '\(id)' has no parent to take a licence from; give --licence ID"
        case .testCase(let issue):
            return issue.description
        case .badAudit(let path, let reason):
            return "\(path): not an audit report (`pedigree audit --format json` or the .json report file): \(reason)"
        case .embeddedSet(let action):
            return "no policy folder to \(action): the embedded set is in use; run `pedigree policy export Policies` first, or give --policies DIR"
        }
    }
}
