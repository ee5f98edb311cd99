import PedigreeSupport
import PedigreeYAML

/// Everything that can be wrong with a synth recipe or a synth request. Recipe errors name
/// the file and the YAML line:column; each renders as one line and keeps its code forever.
public enum SynthError: PedigreeError, Equatable {
    case yamlSyntax(SourceLocation, problem: String)
    case wrongType(SourceLocation, key: String, expected: String)
    case unknownKey(SourceLocation, key: String, context: String, suggestion: String?, allowed: [String])
    case missingKey(SourceLocation, key: String, context: String)
    case unknownComponent(SourceLocation, name: String, model: String, suggestion: String?)
    case emptyModel(SourceLocation, model: String)
    case invalidValue(SourceLocation, key: String, rule: String)
    case unknownModel(SourceLocation, name: String, suggestion: String?)
    case duplicateKey(SourceLocation, key: String)
    case modelWithoutBase(SourceLocation, model: String)
    case invalidOption(option: String, rule: String)
    case mergeCycle(SourceLocation, model: String, path: [String])
    case unusableMerge(SourceLocation, model: String, rule: String)

    public var code: String {
        switch self {
        case .yamlSyntax: "SY001"
        case .wrongType: "SY002"
        case .unknownKey: "SY003"
        case .missingKey: "SY004"
        case .unknownComponent: "SY005"
        case .emptyModel: "SY006"
        case .invalidValue: "SY007"
        case .unknownModel: "SY008"
        case .duplicateKey: "SY009"
        case .modelWithoutBase: "SY010"
        case .invalidOption: "SY011"
        case .mergeCycle: "SY012"
        case .unusableMerge: "SY013"
        }
    }

    public var message: String {
        switch self {
        case .yamlSyntax(let p, let problem):
            "\(p): not valid YAML: \(problem)"
        case .wrongType(let p, let key, let expected):
            "\(p): '\(key)' must be \(expected)"
        case .unknownKey(let p, let key, let context, let suggestion, let allowed):
            "\(p): unknown key '\(key)' in \(context)\(Self.didYouMean(suggestion)); allowed: \(allowed.joined(separator: ", "))"
        case .missingKey(let p, let key, let context):
            "\(p): \(context) is missing the required key '\(key)'"
        case .unknownComponent(let p, let name, let model, let suggestion):
            "\(p): model '\(model)' uses component '\(name)', which the recipe does not declare\(Self.didYouMean(suggestion))"
        case .emptyModel(let p, let model):
            "\(p): model '\(model)' has no components; give it at least one 'component: weight'"
        case .invalidValue(let p, let key, let rule):
            "\(p): '\(key)': \(rule)"
        case .unknownModel(let p, let name, let suggestion):
            "\(p): '\(name)' is not a model of this recipe\(Self.didYouMean(suggestion))"
        case .duplicateKey(let p, let key):
            "\(p): key '\(key)' appears twice in the same mapping"
        case .modelWithoutBase(let p, let model):
            "\(p): model '\(model)' has no base component with a non-zero weight; every model needs a base"
        case .invalidOption(let option, let rule):
            "\(option): \(rule)"
        case .mergeCycle(let p, let model, let path):
            "\(p): merge model '\(model)' depends on itself (\(path.joined(separator: " → ")))"
        case .unusableMerge(let p, let model, let rule):
            "\(p): merge model '\(model)': \(rule)"
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}

extension SynthError {
    /// The one place a shared YAML read's issue becomes a recipe error. `key` is the name the
    /// recipe rule reports (the field, or the section whose keys were being read).
    /// Missing and unknown fields are checked by the recipe itself (it names the section and
    /// the allowed keys), so the shared reads never raise them here; they fall back to SY007.
    init(_ issue: YAMLIssue, key: String) {
        switch issue.kind {
        case .syntax(let problem): self = .yamlSyntax(issue.location, problem: problem)
        // Raised while composing, where the field is the duplicated key itself.
        case .duplicateKey: self = .duplicateKey(issue.location, key: issue.field)
        case .wrongType(let expected, _): self = .wrongType(issue.location, key: key, expected: expected)
        case .invalidValue(let rule): self = .invalidValue(issue.location, key: key, rule: rule)
        case .unknownField, .missingField: self = .invalidValue(issue.location, key: key, rule: issue.rule)
        }
    }
}
