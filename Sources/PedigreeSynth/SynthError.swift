import PedigreeSupport

/// Everything that can be wrong with a synth recipe or a synth request. Recipe errors name
/// the file and the YAML line:column; each renders as one line and keeps its code forever.
public enum SynthError: PedigreeError, Equatable {
    /// Where in a recipe: the file and a 1-based line and column.
    public struct Place: Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let column: Int
        public init(path: String, line: Int, column: Int) {
            self.path = path
            self.line = line
            self.column = column
        }
        public var description: String { "\(path):\(line):\(column)" }
    }

    case yamlSyntax(Place, problem: String)
    case wrongType(Place, key: String, expected: String)
    case unknownKey(Place, key: String, context: String, suggestion: String?, allowed: [String])
    case missingKey(Place, key: String, context: String)
    case unknownComponent(Place, name: String, model: String, suggestion: String?)
    case emptyModel(Place, model: String)
    case invalidValue(Place, key: String, rule: String)
    case unknownModel(Place, name: String, suggestion: String?)
    case duplicateKey(Place, key: String)
    case modelWithoutBase(Place, model: String)
    case invalidOption(option: String, rule: String)

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
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let best = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
    guard let (candidate, distance) = best else { return nil }
    return distance <= max(2, word.count / 3) ? candidate : nil
}

/// Levenshtein distance, for did-you-mean suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0 ... b.count)
    var current = previous
    for i in 1 ... a.count {
        current[0] = i
        for j in 1 ... b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
