import PedigreeYAML

/// The references an audit compares when no `--ref` is given: classification.yaml's
/// `default_references:`, each found through the policies' fingerprint of that model
/// (`fingerprints/<id>.safetensors`, or the model's `fingerprint:`). A hub that audits
/// every upload against the same bases names them once here instead of on every command.
///
/// Kept apart from `ClassificationSettings` (which reads the same file): the set is an input
/// of the comparison, not of how similarities are read.
public struct DefaultReferenceSet: Sendable, Equatable {
    public var ids: [String]
    /// Where each id was written, for the cross-file check that it names a model.
    public var locations: [SourceLocation]

    public static let none = DefaultReferenceSet(ids: [], locations: [])
    static let key = "default_references"

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> DefaultReferenceSet {
        let object = try node.object(allowed: ClassificationSettings.keys)
        guard let list = object.optional(key) else { return .none }
        var result = DefaultReferenceSet.none
        for item in try list.sequence() {
            let id = try item.identifier()
            if result.ids.contains(id) { throw item.issue(.invalidValue("'\(id)' is named twice")) }
            result.ids.append(id)
            result.locations.append(item.location)
        }
        if result.ids.isEmpty { throw list.issue(.invalidValue("name at least one model, or leave default_references out")) }
        return result
    }
}
