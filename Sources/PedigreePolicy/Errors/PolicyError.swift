import Foundation
import PedigreeSupport
import PedigreeYAML

/// Everything that can be wrong with a policy folder. Each case renders as one line
/// `file:line:col: field: rule [POnnn]` and maps to exit status 2 (invalid input).
/// Codes are stable: never renumber, only append.
public enum PolicyError: PedigreeError, Equatable {
    /// A YAML-level problem (syntax, unknown field, wrong type, missing field, bad value).
    case yaml(YAMLIssue)
    /// Two licences or two models share an id.
    case duplicateId(kind: String, id: String, at: SourceLocation, firstAt: SourceLocation)
    /// A reference (parent, licence, extends, allowed licence) names an id that does not exist.
    case danglingReference(kind: String, id: String, field: String, at: SourceLocation, suggestion: String?)
    /// Following `parents` leads back to where it started.
    case lineageCycle(path: [String], field: String, at: SourceLocation)
    /// Following `extends` leads back to where it started.
    case extendsCycle(path: [String], field: String, at: SourceLocation)
    /// Similarity bands are not in strictly descending order of lower bound.
    case bandsOutOfOrder(field: String, at: SourceLocation, value: Double, previous: Double)
    /// A policy file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// No policy folder where one was expected.
    case folderNotFound(searched: [String])
    /// A licence or model file whose name is not `<id>.yaml` (`policy lint`).
    case fileNameMismatch(kind: String, id: String, at: SourceLocation)
    /// An obligation id outside the shared vocabulary (`policy lint`).
    case unknownObligation(id: String, at: SourceLocation, suggestion: String?)
    /// One SHA-256 recorded for two models: a file cannot be both.
    case duplicateHash(sha256: String, model: String, at: SourceLocation, firstModel: String, firstAt: SourceLocation)
    /// `policy show ID` for an id that is neither a model nor a licence in the set.
    case unknownModel(id: String, suggestion: String?)

    public var code: String {
        switch self {
        case .yaml(let issue):
            switch issue.kind {
            case .syntax: "PO001"
            case .duplicateKey: "PO002"
            case .unknownField: "PO003"
            case .wrongType: "PO004"
            case .missingField: "PO005"
            case .invalidValue: "PO006"
            }
        case .duplicateId: "PO007"
        case .danglingReference: "PO008"
        case .lineageCycle: "PO009"
        case .extendsCycle: "PO010"
        case .bandsOutOfOrder: "PO011"
        case .unreadable: "PO012"
        case .folderNotFound: "PO013"
        case .unknownModel: "PO014"
        case .fileNameMismatch: "PO017"
        case .unknownObligation: "PO018"
        case .duplicateHash: "PO019"
        }
    }

    public var message: String {
        switch self {
        case .yaml(let issue):
            return issue.description
        case .duplicateId(let kind, let id, let at, let firstAt):
            return "\(at): id: duplicate \(kind) id '\(id)' (first defined at \(firstAt))"
        case .danglingReference(let kind, let id, let field, let at, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "\(at): \(field): no \(kind) with id '\(id)' in the policy set\(hint)"
        case .lineageCycle(let path, let field, let at):
            return "\(at): \(field): lineage cycle \(path.joined(separator: " → "))"
        case .extendsCycle(let path, let field, let at):
            return "\(at): \(field): licence extends cycle \(path.joined(separator: " → "))"
        case .bandsOutOfOrder(let field, let at, let value, let previous):
            return "\(at): \(field): lower bound \(value) must be below the previous band's \(previous) (bands go from closest to most distant)"
        case .unreadable(let path, let reason):
            return "\(path):1:1: (file): cannot read: \(reason)"
        case .folderNotFound(let searched):
            return "no policy folder found (looked in: \(searched.joined(separator: ", ")))"
        case .fileNameMismatch(let kind, let id, let at):
            let folder = kind == "licence" ? PolicyLoader.licencesFolder : PolicyLoader.modelsFolder
            return "\(at): id: \(kind) '\(id)' is in a file named '\((at.file as NSString).lastPathComponent)'; a \(kind) file is named after its id: rename it to \(folder)/\(id).yaml"
        case .unknownObligation(let id, let at, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "\(at): obligations: id '\(id)' is not in the obligation vocabulary (Policies/README.md, \"Obligation ids\")\(hint)"
        case .duplicateHash(let sha256, let model, let at, let firstModel, let firstAt):
            return "\(at): files.sha256: \(sha256) is recorded for both '\(firstModel)' (\(firstAt)) and '\(model)'; a file is one model: keep it under the model it is"
        case .unknownModel(let id, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "no base model or licence with id '\(id)' in the policy set\(hint)"
        }
    }

    /// Where the problem is, when it has a place (used for sorting lint output).
    public var location: SourceLocation? {
        switch self {
        case .yaml(let issue): issue.location
        case .duplicateId(_, _, let at, _), .danglingReference(_, _, _, let at, _),
             .lineageCycle(_, _, let at), .extendsCycle(_, _, let at), .bandsOutOfOrder(_, let at, _, _),
             .fileNameMismatch(_, _, let at), .unknownObligation(_, let at, _), .duplicateHash(_, _, let at, _, _): at
        case .unreadable(let path, _): SourceLocation(file: path, line: 1, column: 1)
        case .folderNotFound, .unknownModel: nil
        }
    }
}

/// Several policy errors at once: `policy lint` prints them all; other commands, which
/// need a valid set, fail with the first one and point at `policy lint` for the rest.
public struct PolicyProblems: PedigreeError, Equatable {
    public var errors: [PolicyError]

    public init(_ errors: [PolicyError]) { self.errors = errors }

    public var code: String { errors.first?.code ?? "PO000" }
    public var message: String {
        guard let first = errors.first else { return "invalid policy set" }
        let more = errors.count > 1 ? " (and \(errors.count - 1) more; run 'pedigree policy lint')" : ""
        return first.message + more
    }
}
