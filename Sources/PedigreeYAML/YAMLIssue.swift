/// One problem found while reading a YAML file against a schema, with the exact place and
/// the dotted field path (`parents[1].relation`). Each reader (policies, manifests, synth
/// recipes) wraps it in its own error enum so each keeps its stable code family (`PO…`, `MF…`, `SY…`).
public struct YAMLIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// libyaml could not parse the text.
        case syntax(String)
        /// The same key appears twice in one mapping.
        case duplicateKey
        /// A key the schema does not know; `suggestion` is the closest known key, if any is close.
        case unknownField(suggestion: String?)
        /// The value has the wrong YAML type.
        case wrongType(expected: String, found: String)
        /// A required key is absent.
        case missingField
        /// The value has the right type but breaks a rule (format, allowed values, range).
        case invalidValue(String)
    }

    public var kind: Kind
    public var location: SourceLocation
    /// Dotted path of the field, e.g. `obligations[2].severity`; `(document)` for the root.
    public var field: String

    public init(_ kind: Kind, at location: SourceLocation, field: String) {
        self.kind = kind
        self.location = location
        self.field = field
    }

    /// The rule broken, without place or field.
    public var rule: String {
        switch kind {
        case .syntax(let problem): "YAML syntax error: \(problem)"
        case .duplicateKey: "key appears more than once in this mapping"
        case .unknownField(let suggestion):
            suggestion.map { "unknown field; did you mean '\($0)'?" } ?? "unknown field"
        case .wrongType(let expected, let found): "expected \(expected), found \(found)"
        case .missingField: "required field is missing"
        case .invalidValue(let reason): reason
        }
    }

    /// `file:line:col: field: rule`, the one-line form every error uses.
    public var description: String { "\(location): \(field): \(rule)" }
}
