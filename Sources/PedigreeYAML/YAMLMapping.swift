import Yams

/// A YAML mapping read in document order, for mappings whose keys are data (names of things)
/// rather than a record's fields: order is kept because it is meaningful there, and keys must be
/// real strings. `YAMLObject` remains the reader for records with a fixed set of fields.
///
/// Duplicate keys need no check here: Yams refuses them while composing (two string keys with
/// the same text are equal nodes), and `YAMLDocument` reports that as `.duplicateKey`.
public struct YAMLMapping {
    public struct Entry {
        public let key: String
        /// The key itself, for errors about the name rather than its value.
        public let keyNode: YAMLNode
        public let value: YAMLNode
    }

    public let node: YAMLNode
    public let entries: [Entry]

    init(_ node: YAMLNode) throws(YAMLIssue) {
        guard case .mapping(let mapping) = node.node else {
            throw node.issue(.wrongType(expected: "a mapping of keys to values", found: node.typeName))
        }
        let keyPath = node.path.isEmpty ? "" : node.path + "."
        var entries: [Entry] = []
        for (keyNode, valueNode) in mapping {
            let key = try YAMLNode(keyNode, file: node.file, path: keyPath + "(key)").strictString()
            entries.append(Entry(key: key, keyNode: YAMLNode(keyNode, file: node.file, path: keyPath + key),
                                 value: YAMLNode(valueNode, file: node.file, path: keyPath + key)))
        }
        self.node = node
        self.entries = entries
    }

    /// The value written for `key`, including an explicit `null` (which the value's typed read
    /// then refuses), or nil when the key is absent.
    public func value(_ key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }

    /// The first entry whose key is not in `allowed`, with the closest allowed key if one is near.
    /// Not thrown as a `YAMLIssue`, so a reader can name the section and list the allowed keys.
    public func firstUnknownKey(allowed: [String]) -> (entry: Entry, suggestion: String?)? {
        guard let entry = entries.first(where: { !allowed.contains($0.key) }) else { return nil }
        return (entry, DidYouMean.suggestion(for: entry.key, among: allowed))
    }
}

extension YAMLNode {
    /// This node as a mapping read in document order.
    public func mapping() throws(YAMLIssue) -> YAMLMapping {
        try YAMLMapping(self)
    }
}
