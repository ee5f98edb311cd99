import Foundation
import Yams

/// Turns YAML text into a tree of `YAMLNode`s that remember where every value came from.
///
/// Why not `YAMLDecoder` straight into Codable types: Codable forgets line numbers, and
/// every Pedigree error must name `file:line:column`. So the text is composed into Yams's
/// `Node` tree (which carries `Mark`s), and the schema types read themselves from it.
public enum YAMLDocument {
    /// Parses `text` (the contents of `file`) and returns its root node.
    /// An empty document yields a null root, which schema readers report as a wrong type.
    public static func parse(_ text: String, file: String) throws(YAMLIssue) -> YAMLNode {
        try compose(text, file: file) ?? YAMLNode(Node("", Tag(.null)), file: file, path: "")
    }

    /// Like `parse`, but an empty document (nothing but comments or whitespace) is nil, for
    /// readers that report "nothing written" differently from "written as null".
    public static func compose(_ text: String, file: String) throws(YAMLIssue) -> YAMLNode? {
        if let alias = YAMLAliases.firstAlias(in: text) {
            throw YAMLIssue(.syntax("aliases (*name) are not supported; write the value out in full"),
                            at: SourceLocation(file: file, line: alias.line, column: alias.column), field: "(document)")
        }
        do {
            return try Yams.compose(yaml: text).map { YAMLNode($0, file: file, path: "") }
        } catch let error as YamlError {
            throw issue(from: error, file: file)
        } catch {
            throw YAMLIssue(.syntax(String(describing: error)),
                            at: SourceLocation(file: file, line: 1, column: 1), field: "(document)")
        }
    }

    /// Reads a file without opening it for writing and returns its text, or a reason it can't.
    public static func readText(atPath path: String) -> Result<String, ReadFailure> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return .failure(ReadFailure(path: path, reason: "no such file"))
        }
        if isFolder.boolValue { return .failure(ReadFailure(path: path, reason: "is a folder, expected a YAML file")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ReadFailure(path: path, reason: "permission denied or unreadable"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ReadFailure(path: path, reason: "not valid UTF-8"))
        }
        return .success(text)
    }

    public struct ReadFailure: Error, Equatable, Sendable {
        public var path: String
        public var reason: String
    }

    /// Maps libyaml's error (which has its own multi-line format) to a one-line issue.
    private static func issue(from error: YamlError, file: String) -> YAMLIssue {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line, column: mark.column)
        }
        let start = SourceLocation(file: file, line: 1, column: 1)
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) (line \($0.mark.line)), \(problem)" } ?? problem
            return YAMLIssue(.syntax(detail), at: at(mark), field: "(document)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return YAMLIssue(.duplicateKey, at: at(context.mark), field: duplicates.first ?? "(document)")
        case .reader(let problem, _, _, _):
            return YAMLIssue(.syntax(problem), at: start, field: "(document)")
        default:
            return YAMLIssue(.syntax(String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"),
                             at: start, field: "(document)")
        }
    }
}
