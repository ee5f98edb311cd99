import PedigreeYAML

/// How a fact was established, mirroring the research notes' tags: [P] primary (the
/// publisher's own card, repo or licence text), [S] secondary (mirrors, manifests, blogs),
/// [D] derived (computed by us, e.g. AutoV2 from SHA-256).
public enum Evidence: String, Codable, CaseIterable, Sendable {
    case primary, secondary, derived
}

/// A place where sources disagree or a fact could not be confirmed. Kept next to the fact
/// so reports can say "uncertain" instead of stating a guess as truth.
public struct Uncertainty: Codable, Equatable, Sendable {
    /// What the doubt is about, e.g. `licence`, `parents`, `files[0].sha256`.
    public var about: String
    public var note: String
    public var sources: [String]

    static let keys = ["about", "note", "sources"]

    static func read(from node: YAMLNode) throws(YAMLIssue) -> Uncertainty {
        let object = try node.object(allowed: keys)
        let sourcesNode = try object.required("sources")
        var sources: [String] = []
        for item in try sourcesNode.sequence() { sources.append(try item.url()) }
        if sources.isEmpty { throw sourcesNode.issue(.invalidValue("name at least one source URL")) }
        return Uncertainty(about: try object.required("about").nonEmptyString(),
                           note: try object.required("note").nonEmptyString(),
                           sources: sources)
    }
}
