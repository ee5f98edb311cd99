import Foundation
import PedigreeFormat
import PedigreeSupport
import Yams

/// Reads a synth recipe from YAML, strictly: unknown keys (with a did-you-mean), wrong
/// types, undeclared components and models, and empty models are errors that name the
/// file and line:column. The schema is documented in README.md next to this file.
public enum RecipeLoader {
    /// Reads and validates the recipe at `path` (opened read-only).
    public static func load(path: String) throws -> SynthRecipe {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FileAccessError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SynthError.yamlSyntax(.init(path: path, line: 1, column: 1), problem: "the file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Validates recipe text; `path` is only used in messages.
    public static func parse(_ text: String, path: String) throws(SynthError) -> SynthRecipe {
        try RecipeParser(path: path).parse(text)
    }
}

/// The validation walk over a composed YAML tree. One instance per document.
private struct RecipeParser {
    let path: String

    static let topKeys = ["seed", "components", "models", "lineage"]
    static let componentKeys = ["kind", "scale", "seed", "column_spread", "tensor_spread", "block_spread", "profile"]
    static let lineageKeys = ["role", "parent", "claimed", "note"]

    func parse(_ text: String) throws(SynthError) -> SynthRecipe {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw .yamlSyntax(.init(path: path, line: 1, column: 1), problem: "\(error)")
        }
        guard let root else { throw .missingKey(.init(path: path, line: 1, column: 1), key: "components", context: "the recipe") }
        let top = try mapping(root, key: "recipe")
        try checkKeys(top, allowed: Self.topKeys, context: "the recipe")

        let seed = try top.value("seed").map { node throws(SynthError) in try unsigned(node, key: "seed") } ?? 0
        guard let componentsNode = top.value("components") else {
            throw .missingKey(place(root), key: "components", context: "the recipe")
        }
        guard let modelsNode = top.value("models") else { throw .missingKey(place(root), key: "models", context: "the recipe") }

        var components: [SynthRecipe.Component] = []
        for (nameNode, value) in try mapping(componentsNode, key: "components").pairs {
            components.append(try component(nameNode: nameNode, value: value))
        }
        guard !components.isEmpty else {
            throw .invalidValue(place(componentsNode), key: "components", rule: "declare at least one component")
        }

        var models: [SynthRecipe.Model] = []
        for (nameNode, value) in try mapping(modelsNode, key: "models").pairs {
            models.append(try model(nameNode: nameNode, value: value, components: components))
        }
        guard !models.isEmpty else { throw .invalidValue(place(modelsNode), key: "models", rule: "declare at least one model") }

        if let lineageNode = top.value("lineage") {
            let names = models.map(\.name)
            for (nameNode, value) in try mapping(lineageNode, key: "lineage").pairs {
                let name = try string(nameNode, key: "lineage")
                guard let index = names.firstIndex(of: name) else {
                    throw .unknownModel(place(nameNode), name: name, suggestion: closestMatch(to: name, in: names))
                }
                models[index].lineage = try lineage(value, modelName: name, models: names)
            }
        }
        return SynthRecipe(seed: seed, components: components, models: models)
    }

    // MARK: Sections

    private func component(nameNode: Node, value: Node) throws(SynthError) -> SynthRecipe.Component {
        let name = try identifier(nameNode, key: "components")
        let context = "component '\(name)'"
        let fields = try mapping(value, key: name)
        try checkKeys(fields, allowed: Self.componentKeys, context: context)
        guard let kindNode = fields.value("kind") else { throw .missingKey(place(value), key: "kind", context: context) }
        let kindText = try string(kindNode, key: "kind")
        guard let kind = SynthRecipe.ComponentKind(rawValue: kindText) else {
            let options = SynthRecipe.ComponentKind.allCases.map(\.rawValue)
            let hint = closestMatch(to: kindText, in: options).map { "; did you mean '\($0)'?" } ?? ""
            throw .invalidValue(place(kindNode), key: "kind", rule: "'\(kindText)' is not one of \(options.joined(separator: ", "))\(hint)")
        }
        let scale = try fields.value("scale").map { n throws(SynthError) in try number(n, key: "scale", atLeast: 0, inclusive: false) } ?? 1
        let seed = try fields.value("seed").map { n throws(SynthError) in try unsigned(n, key: "seed") }
        let columnSpread = try fields.value("column_spread").map { n throws(SynthError) in try number(n, key: "column_spread", atLeast: 1) }
        let tensorSpread = try fields.value("tensor_spread").map { n throws(SynthError) in try number(n, key: "tensor_spread", atLeast: 1) }
        let blockSpread = try fields.value("block_spread").map { n throws(SynthError) in try number(n, key: "block_spread", atLeast: 1) }
        var profile: [SynthRecipe.ProfileEntry] = []
        if let profileNode = fields.value("profile") {
            for (prefixNode, factorNode) in try mapping(profileNode, key: "profile").pairs {
                let prefix = try string(prefixNode, key: "profile")
                let root = String(prefix.prefix { $0 != "." })
                let roots = Component.allCases.map(\.rawValue)
                guard roots.contains(root), !prefix.hasSuffix(".") else {
                    let hint = closestMatch(to: root, in: roots).map { "; did you mean '\($0)'?" } ?? ""
                    throw .invalidValue(place(prefixNode), key: prefix,
                                        rule: "a profile key is a block-name prefix starting with one of \(roots.joined(separator: ", "))\(hint)")
                }
                profile.append(.init(prefix: prefix, factor: try number(factorNode, key: prefix, atLeast: 0)))
            }
        }
        return SynthRecipe.Component(name: name, kind: kind, scale: scale, seed: seed, columnSpread: columnSpread,
                                     tensorSpread: tensorSpread, blockSpread: blockSpread, profile: profile)
    }

    private func model(nameNode: Node, value: Node, components: [SynthRecipe.Component]) throws(SynthError) -> SynthRecipe.Model {
        let name = try identifier(nameNode, key: "models")
        let pairs = try mapping(value, key: name).pairs
        guard !pairs.isEmpty else { throw .emptyModel(place(nameNode), model: name) }
        let declared = components.map(\.name)
        var weights: [(component: String, weight: Double)] = []
        for (componentNode, weightNode) in pairs {
            let componentName = try string(componentNode, key: name)
            guard declared.contains(componentName) else {
                throw .unknownComponent(place(componentNode), name: componentName, model: name,
                                        suggestion: closestMatch(to: componentName, in: declared))
            }
            weights.append((componentName, try number(weightNode, key: componentName, atLeast: nil)))
        }
        let hasBase = weights.contains { w in w.weight != 0 && components.contains { $0.name == w.component && $0.kind == .base } }
        guard hasBase else { throw .modelWithoutBase(place(nameNode), model: name) }
        return SynthRecipe.Model(name: name, weights: weights)
    }

    private func lineage(_ value: Node, modelName: String, models: [String]) throws(SynthError) -> SynthRecipe.Lineage {
        let fields = try mapping(value, key: modelName)
        try checkKeys(fields, allowed: Self.lineageKeys, context: "the lineage of '\(modelName)'")
        var result = SynthRecipe.Lineage()
        if let node = fields.value("role") {
            let text = try string(node, key: "role")
            guard let role = SynthRecipe.Role(rawValue: text) else {
                throw .invalidValue(place(node), key: "role", rule: "'\(text)' is not one of reference, candidate")
            }
            result.role = role
        }
        func modelReference(_ key: String) throws(SynthError) -> String? {
            guard let node = fields.value(key) else { return nil }
            let text = try string(node, key: key)
            if key == "parent", text == "none" { return nil }
            guard models.contains(text) else {
                throw .unknownModel(place(node), name: text, suggestion: closestMatch(to: text, in: models))
            }
            guard text != modelName else { throw .invalidValue(place(node), key: key, rule: "a model cannot be its own \(key)") }
            return text
        }
        result.parent = try modelReference("parent")
        result.claimed = try modelReference("claimed")
        result.note = try fields.value("note").map { n throws(SynthError) in try string(n, key: "note") }
        return result
    }

    // MARK: Typed accessors

    private func place(_ node: Node) -> SynthError.Place {
        let mark = node.mark
        return .init(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func syntaxError(_ error: YamlError) -> SynthError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return .yamlSyntax(.init(path: path, line: mark.line, column: mark.column), problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the mapping that holds the duplicates.
            return .duplicateKey(.init(path: path, line: context.mark.line, column: context.mark.column),
                                 key: duplicates.joined(separator: "', '"))
        default:
            // Yams' description spans several lines (it quotes the source); keep the first.
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable YAML"
            return .yamlSyntax(.init(path: path, line: 1, column: 1), problem: first)
        }
    }

    private func mapping(_ node: Node, key: String) throws(SynthError) -> KeyedPairs {
        guard case .mapping(let mapping) = node else { throw .wrongType(place(node), key: key, expected: "a mapping of keys to values") }
        var seen = Set<String>()
        var pairs: [(Node, Node)] = []
        for (k, v) in mapping {
            let name = try string(k, key: key)
            guard seen.insert(name).inserted else { throw .duplicateKey(place(k), key: name) }
            pairs.append((k, v))
        }
        return KeyedPairs(pairs: pairs)
    }

    private func checkKeys(_ fields: KeyedPairs, allowed: [String], context: String) throws(SynthError) {
        for (keyNode, _) in fields.pairs {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                throw .unknownKey(place(keyNode), key: key, context: context,
                                  suggestion: closestMatch(to: key, in: allowed), allowed: allowed)
            }
        }
    }

    private func string(_ node: Node, key: String) throws(SynthError) -> String {
        guard case .scalar(let scalar) = node, [Tag.Name.str, Tag.Name.nonSpecific].contains(tag(node)) else {
            throw .wrongType(place(node), key: key, expected: "a string")
        }
        return scalar.string
    }

    /// Component and model names become file names and JSON keys: keep them plain.
    private func identifier(_ node: Node, key: String) throws(SynthError) -> String {
        let name = try string(node, key: key)
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || "._-".unicodeScalars.contains($0) }
        guard !name.isEmpty, allowed, !name.hasPrefix("."), name.count <= 100 else {
            throw .invalidValue(place(node), key: name, rule: "a name uses only letters, digits, '.', '_' and '-', does not start with '.', and has at most 100 characters")
        }
        return name
    }

    private func number(_ node: Node, key: String, atLeast minimum: Double?, inclusive: Bool = true) throws(SynthError) -> Double {
        guard case .scalar(let scalar) = node, [Tag.Name.int, Tag.Name.float].contains(tag(node)),
              let value = node.float, value.isFinite else {
            throw .wrongType(place(node), key: key, expected: "a finite number")
        }
        if let minimum, inclusive ? value < minimum : value <= minimum {
            throw .invalidValue(place(node), key: key, rule: "must be \(inclusive ? "at least" : "greater than") \(minimum.formatted()), got \(scalar.string)")
        }
        return value
    }

    /// The YAML 1.2 core-schema type of a scalar: plain `1` is an int, quoted `"1"` a string.
    private func tag(_ node: Node) -> Tag.Name { Resolver.default.resolveTag(of: node) }

    private func unsigned(_ node: Node, key: String) throws(SynthError) -> UInt64 {
        guard case .scalar(let scalar) = node, tag(node) == .int, let value = UInt64(scalar.string) else {
            throw .wrongType(place(node), key: key, expected: "a non-negative whole number")
        }
        return value
    }
}

/// A mapping's pairs in document order, with lookup by key.
private struct KeyedPairs {
    let pairs: [(Node, Node)]
    func value(_ key: String) -> Node? { pairs.first { $0.0.string == key }?.1 }
}

private extension Double {
    func formatted() -> String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
