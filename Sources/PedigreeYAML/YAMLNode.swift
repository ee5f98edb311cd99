import Foundation
import Yams

/// A YAML value plus the file it is in and its dotted field path, with typed accessors that
/// throw a located `YAMLIssue` instead of crashing or silently coercing.
public struct YAMLNode {
    public let node: Node
    public let file: String
    /// Dotted path from the document root, e.g. `files[0].sha256`; empty for the root.
    public let path: String

    public init(_ node: Node, file: String, path: String) {
        self.node = node
        self.file = file
        self.path = path
    }

    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// The field name used in messages.
    public var fieldName: String { path.isEmpty ? "(document)" : path }

    public func issue(_ kind: YAMLIssue.Kind) -> YAMLIssue {
        YAMLIssue(kind, at: location, field: fieldName)
    }

    /// The resolved tag (e.g. `tag:yaml.org,2002:int`); Yams keeps `Tag.name` internal.
    var tagName: String { node.tag.description }

    public var isNull: Bool {
        if case .scalar = node { return tagName == Tag.Name.null.rawValue }
        return false
    }

    /// A human name for the node's YAML type, for "expected X, found Y".
    public var typeName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias (anchors and aliases are not supported)"
        case .scalar:
            switch tagName {
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.bool.rawValue: return "a boolean"
            case Tag.Name.int.rawValue: return "an integer"
            case Tag.Name.float.rawValue: return "a number"
            default: return "a string"
            }
        }
    }

    /// Any non-null scalar as text. Numbers are accepted as text on purpose: `version: 1.0`
    /// is meant as the string "1.0", and refusing it would only annoy maintainers.
    public func string() throws(YAMLIssue) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw issue(.wrongType(expected: "a string", found: typeName))
        }
        return scalar.string
    }

    /// A non-empty string (ids, names, URLs).
    public func nonEmptyString() throws(YAMLIssue) -> String {
        let text = try string().trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw issue(.invalidValue("must not be empty")) }
        return text
    }

    public func bool() throws(YAMLIssue) -> Bool {
        guard case .scalar = node, tagName == Tag.Name.bool.rawValue, let value = node.bool else {
            throw issue(.wrongType(expected: "a boolean (true or false)", found: typeName))
        }
        return value
    }

    public func double() throws(YAMLIssue) -> Double {
        guard case .scalar = node, tagName == Tag.Name.float.rawValue || tagName == Tag.Name.int.rawValue,
              let value = node.float ?? node.int.map(Double.init) else {
            throw issue(.wrongType(expected: "a number", found: typeName))
        }
        return value
    }

    public func int() throws(YAMLIssue) -> Int {
        guard case .scalar = node, tagName == Tag.Name.int.rawValue, let value = node.int else {
            throw issue(.wrongType(expected: "an integer", found: typeName))
        }
        return value
    }

    public func sequence() throws(YAMLIssue) -> [YAMLNode] {
        guard case .sequence(let items) = node else {
            throw issue(.wrongType(expected: "a list", found: typeName))
        }
        return items.enumerated().map { index, item in
            YAMLNode(item, file: file, path: "\(path)[\(index)]")
        }
    }

    /// A list of strings; a single string is not silently promoted to a list.
    public func strings() throws(YAMLIssue) -> [String] {
        var result: [String] = []
        for item in try sequence() { result.append(try item.nonEmptyString()) }
        return result
    }

    /// One of an enum's raw values, with a did-you-mean for near misses.
    public func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(YAMLIssue) -> T
    where T.RawValue == String {
        let text = try string()
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map(\.rawValue)
        var reason = "'\(text)' is not one of: \(allowed.joined(separator: ", "))"
        if let guess = DidYouMean.suggestion(for: text, among: allowed) { reason += "; did you mean '\(guess)'?" }
        throw issue(.invalidValue(reason))
    }

    /// This node as a mapping whose keys must all be in `allowed`.
    public func object(allowed: [String]) throws(YAMLIssue) -> YAMLObject {
        try YAMLObject(self, allowed: allowed)
    }
}
