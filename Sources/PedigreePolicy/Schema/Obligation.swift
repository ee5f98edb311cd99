import PedigreeYAML

/// One duty a licence puts on whoever uses or redistributes the model, in a form the audit
/// can check: what triggers it, which release-manifest field shows it is met, how serious.
public struct Obligation: Codable, Equatable, Sendable {
    /// Stable id from the shared vocabulary (`ObligationVocabulary`; Policies/SOURCES.md), e.g. `share-recipe`.
    public var id: String
    public var summary: String
    /// The uses that bring the duty into play.
    public var triggers: [Trigger]
    /// The manifest fields that together show the duty is met (all must hold); empty when
    /// no manifest can show it (e.g. "do not use for prohibited purposes"): unverifiable.
    public var metBy: [MetBy]
    public var severity: Severity
    public var source: String
    public var evidence: Evidence
    /// A short, marked quote from the licence text, when one helps.
    public var quote: String?
    public var uncertainty: [Uncertainty]
    public var location: SourceLocation

    public enum Trigger: String, Codable, CaseIterable, Sendable {
        case distributeDerivative = "distribute-derivative"
        case distributeMerge = "distribute-merge"
        case host
        case commercialUse = "commercial-use"
        case use
    }

    public enum Severity: String, Codable, CaseIterable, Sendable {
        /// The licence text makes it a condition: unmet means the release breaks the licence.
        case required
        /// The publisher asks or discourages in soft words ("kindly ask", "discourages").
        case requested
        /// Worth knowing, not something a release does or fails.
        case informational
    }

    public struct MetBy: Codable, Equatable, Sendable {
        public var field: ManifestField
        public var when: ManifestExpectation
    }

    static let keys = ["id", "summary", "triggers", "met_by", "severity", "source", "evidence", "quote", "uncertainty"]

    static func read(from node: YAMLNode) throws(YAMLIssue) -> Obligation {
        let object = try node.object(allowed: keys)
        var triggers: [Trigger] = []
        let triggerNode = try object.required("triggers")
        for item in try triggerNode.sequence() { triggers.append(try item.oneOf(Trigger.self)) }
        if triggers.isEmpty { throw triggerNode.issue(.invalidValue("name at least one trigger")) }
        return Obligation(
            id: try object.required("id").identifier(),
            summary: try object.required("summary").nonEmptyString(),
            triggers: triggers,
            metBy: try readMetByList(object.optional("met_by")),
            severity: try object.required("severity").oneOf(Severity.self),
            source: try object.required("source").url(),
            evidence: try object.required("evidence").oneOf(Evidence.self),
            quote: try object.optionalString("quote"),
            uncertainty: try object.uncertainties(),
            location: node.location)
    }

    /// `met_by` is one `{field, when}` mapping or a list of them.
    private static func readMetByList(_ node: YAMLNode?) throws(YAMLIssue) -> [MetBy] {
        guard let node else { return [] }
        guard case .sequence = node.node else { return [try readMetBy(node)] }
        var result: [MetBy] = []
        for item in try node.sequence() { result.append(try readMetBy(item)) }
        return result
    }

    private static func readMetBy(_ node: YAMLNode) throws(YAMLIssue) -> MetBy {
        let object = try node.object(allowed: ["field", "when"])
        let field = try object.required("field").oneOf(ManifestField.self)
        guard let whenNode = object.optional("when") else { return MetBy(field: field, when: field.defaultExpectation) }
        let when = try whenNode.oneOf(ManifestExpectation.self)
        guard field.accepts(when) else {
            throw whenNode.issue(.invalidValue("'\(when.rawValue)' does not fit manifest field '\(field.rawValue)'"))
        }
        return MetBy(field: field, when: when)
    }
}
