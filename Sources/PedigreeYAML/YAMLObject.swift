import Yams

/// A YAML mapping checked against a fixed set of keys. Unknown keys are rejected up front
/// (with a did-you-mean) so a typo like `licnece:` is reported as itself rather than as a
/// confusing "licence is missing".
public struct YAMLObject {
    public let node: YAMLNode
    private let values: [String: YAMLNode]

    init(_ node: YAMLNode, allowed: [String]) throws(YAMLIssue) {
        guard case .mapping(let mapping) = node.node else {
            throw node.issue(.wrongType(expected: "a mapping", found: node.typeName))
        }
        var values: [String: YAMLNode] = [:]
        for (keyNode, valueNode) in mapping {
            let keyPath = node.path.isEmpty ? "" : node.path + "."
            guard case .scalar(let scalar) = keyNode else {
                throw YAMLNode(keyNode, file: node.file, path: keyPath + "(key)")
                    .issue(.wrongType(expected: "a string key", found: "a complex key"))
            }
            let key = scalar.string
            let keyed = YAMLNode(keyNode, file: node.file, path: keyPath + key)
            guard allowed.contains(key) else {
                throw keyed.issue(.unknownField(suggestion: DidYouMean.suggestion(for: key, among: allowed)))
            }
            guard values[key] == nil else { throw keyed.issue(.duplicateKey) }
            values[key] = YAMLNode(valueNode, file: node.file, path: keyPath + key)
        }
        self.node = node
        self.values = values
    }

    public var location: SourceLocation { node.location }

    /// The value for `key`; absent is an error reported at the mapping's position.
    public func required(_ key: String) throws(YAMLIssue) -> YAMLNode {
        guard let value = values[key] else {
            throw YAMLIssue(.missingField, at: node.location, field: node.path.isEmpty ? key : "\(node.path).\(key)")
        }
        return value
    }

    /// The value for `key`, or nil when absent or explicitly `null`.
    public func optional(_ key: String) -> YAMLNode? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    /// True when the key is written, even as `null` (for fields where null is a statement,
    /// such as `spdx: null` meaning "checked, none exists").
    public func has(_ key: String) -> Bool { values[key] != nil }
}
