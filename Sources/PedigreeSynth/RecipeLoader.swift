import Foundation
import PedigreeFormat
import PedigreeSupport
import PedigreeYAML

/// Reads a synth recipe from YAML, strictly: unknown keys (with a did-you-mean), wrong
/// types, undeclared components and models, and empty models are errors that name the
/// file and line:column. Places, typed reads and suggestions come from PedigreeYAML, so
/// recipes report problems the way policies do; the rules below are the recipe's own.
/// The schema is documented in README.md next to this file.
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
            throw SynthError.yamlSyntax(SourceLocation(file: path, line: 1, column: 1), problem: "the file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Validates recipe text; `path` is only used in messages.
    public static func parse(_ text: String, path: String) throws(SynthError) -> SynthRecipe {
        try RecipeParser(path: path).parse(text)
    }
}

/// The validation walk over a composed YAML tree. One instance per document.
struct RecipeParser {
    let path: String

    static let topKeys = ["seed", "components", "models", "lineage"]
    static let componentKeys = ["kind", "scale", "seed", "column_spread", "tensor_spread", "block_spread", "profile", "spectrum", "shares"]
    static let lineageKeys = ["role", "parent", "claimed", "note"]

    func parse(_ text: String) throws(SynthError) -> SynthRecipe {
        let document: YAMLNode?
        do { document = try YAMLDocument.compose(text, file: path) } catch { throw SynthError(error, key: "recipe") }
        guard let root = document else {
            throw .missingKey(SourceLocation(file: path, line: 1, column: 1), key: "components", context: "the recipe")
        }
        let top = try fields(root, key: "recipe", allowed: Self.topKeys, context: "the recipe")

        let seed = try top.value("seed").map { node throws(SynthError) in try read(node, "seed", YAMLNode.uint64) } ?? 0
        guard let componentsNode = top.value("components") else {
            throw .missingKey(root.location, key: "components", context: "the recipe")
        }
        guard let modelsNode = top.value("models") else { throw .missingKey(root.location, key: "models", context: "the recipe") }

        var components: [SynthRecipe.Component] = []
        for entry in try read(componentsNode, "components", YAMLNode.mapping).entries {
            components.append(try component(entry))
        }
        guard !components.isEmpty else {
            throw .invalidValue(componentsNode.location, key: "components", rule: "declare at least one component")
        }
        // A shared subspace is another spectral delta's, never a chain (its own factors only).
        for component in components {
            guard let shares = component.shares else { continue }
            let target = components.first { $0.name == shares.component }
            guard let target, target.kind == .delta, target.spectrum != nil, target.shares == nil else {
                throw .invalidValue(componentsNode.location, key: "\(component.name).shares.component",
                                    rule: "'\(shares.component)' must be another declared delta with a spectrum and no `shares` of its own"
                                        + (DidYouMean.suggestion(for: shares.component, among: components.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""))
            }
        }

        var models: [SynthRecipe.Model] = []
        var places: [String: SourceLocation] = [:]
        let modelEntries = try read(modelsNode, "models", YAMLNode.mapping).entries
        let modelNames = modelEntries.map(\.key)
        for entry in modelEntries {
            models.append(try model(entry, components: components, models: modelNames))
            places[entry.key] = entry.keyNode.location
        }
        guard !models.isEmpty else { throw .invalidValue(modelsNode.location, key: "models", rule: "declare at least one model") }
        models = try dependencyOrder(models, places: places)

        if let lineageNode = top.value("lineage") {
            let names = models.map(\.name)
            for entry in try read(lineageNode, "lineage", YAMLNode.mapping).entries {
                guard let index = names.firstIndex(of: entry.key) else {
                    throw .unknownModel(entry.keyNode.location, name: entry.key,
                                        suggestion: DidYouMean.suggestion(for: entry.key, among: names))
                }
                models[index].lineage = try lineage(entry.value, modelName: entry.key, models: names)
            }
        }
        return SynthRecipe(seed: seed, components: components, models: models)
    }

    // MARK: Sections

    private func component(_ entry: YAMLMapping.Entry) throws(SynthError) -> SynthRecipe.Component {
        let name = try identifier(entry)
        guard !Self.modelKeys.contains(name) else {
            throw .invalidValue(entry.keyNode.location, key: name, rule: "'\(name)' is reserved for merge models; name the component differently")
        }
        let context = "component '\(name)'"
        let fields = try fields(entry.value, key: name, allowed: Self.componentKeys, context: context)
        guard let kindNode = fields.value("kind") else { throw .missingKey(entry.value.location, key: "kind", context: context) }
        let kindText = try read(kindNode, "kind", YAMLNode.strictString)
        guard let kind = SynthRecipe.ComponentKind(rawValue: kindText) else {
            let options = SynthRecipe.ComponentKind.allCases.map(\.rawValue)
            let hint = DidYouMean.suggestion(for: kindText, among: options).map { "; did you mean '\($0)'?" } ?? ""
            throw .invalidValue(kindNode.location, key: "kind", rule: "'\(kindText)' is not one of \(options.joined(separator: ", "))\(hint)")
        }
        let scale = try fields.value("scale").map { n throws(SynthError) in try number(n, key: "scale", atLeast: 0, inclusive: false) } ?? 1
        let seed = try fields.value("seed").map { n throws(SynthError) in try read(n, "seed", YAMLNode.uint64) }
        let columnSpread = try fields.value("column_spread").map { n throws(SynthError) in try number(n, key: "column_spread", atLeast: 1) }
        let tensorSpread = try fields.value("tensor_spread").map { n throws(SynthError) in try number(n, key: "tensor_spread", atLeast: 1) }
        let blockSpread = try fields.value("block_spread").map { n throws(SynthError) in try number(n, key: "block_spread", atLeast: 1) }
        var profile: [SynthRecipe.ProfileEntry] = []
        if let profileNode = fields.value("profile") {
            for factor in try read(profileNode, "profile", YAMLNode.mapping).entries {
                let prefix = factor.key
                let root = String(prefix.prefix { $0 != "." })
                let roots = Component.allCases.map(\.rawValue)
                guard roots.contains(root), !prefix.hasSuffix(".") else {
                    let hint = DidYouMean.suggestion(for: root, among: roots).map { "; did you mean '\($0)'?" } ?? ""
                    throw .invalidValue(factor.keyNode.location, key: prefix,
                                        rule: "a profile key is a block-name prefix starting with one of \(roots.joined(separator: ", "))\(hint)")
                }
                profile.append(.init(prefix: prefix, factor: try number(factor.value, key: prefix, atLeast: 0)))
            }
        }
        let spectrum = try fields.value("spectrum").flatMap { n throws(SynthError) in try self.spectrum(n, kind: kind) }
        var shares: SynthRecipe.SubspaceShare?
        if let node = fields.value("shares") {
            let share = try self.fields(node, key: "shares", allowed: ["component", "overlap"], context: "the shares of '\(name)'")
            guard spectrum != nil, let target = share.value("component"), let overlapNode = share.value("overlap") else {
                throw .invalidValue(node.location, key: "shares",
                                    rule: "`shares: {component: DELTA, overlap: 0…1}` needs both keys, on a delta with a spectrum")
            }
            let other = try read(target, "component", YAMLNode.strictString)
            let overlap = try number(overlapNode, key: "overlap", atLeast: 0)
            guard overlap <= 1 else { throw .invalidValue(overlapNode.location, key: "overlap", rule: "an overlap is a fraction in [0, 1]") }
            guard other != name else { throw .invalidValue(target.location, key: "component", rule: "a delta cannot share its own subspace") }
            shares = SynthRecipe.SubspaceShare(component: other, overlap: overlap)
        }
        return SynthRecipe.Component(name: name, kind: kind, scale: scale, seed: seed, columnSpread: columnSpread,
                                     tensorSpread: tensorSpread, blockSpread: blockSpread, profile: profile,
                                     spectrum: spectrum, shares: shares)
    }

    private func model(_ entry: YAMLMapping.Entry, components: [SynthRecipe.Component], models: [String]) throws(SynthError) -> SynthRecipe.Model {
        let name = try identifier(entry)
        let mapping = try read(entry.value, name, YAMLNode.mapping)
        if mapping.value("merge") != nil || mapping.value("weights") != nil || mapping.value("dtype") != nil {
            return try structuredModel(entry, mapping: mapping, components: components, models: models)
        }
        return SynthRecipe.Model(name: name, weights: try weights(name, place: entry.keyNode.location, mapping: mapping,
                                                                  components: components, needsBase: true))
    }

    /// `{component: weight, …}`: a weighted sum of components (a linear model, or a merge's `plus`).
    func weights(_ name: String, place: SourceLocation, mapping: YAMLMapping, components: [SynthRecipe.Component],
                 needsBase: Bool) throws(SynthError) -> [(component: String, weight: Double)] {
        let uses = mapping.entries
        guard !uses.isEmpty else { throw .emptyModel(place, model: name) }
        let declared = components.map(\.name)
        var weights: [(component: String, weight: Double)] = []
        for use in uses {
            guard declared.contains(use.key) else {
                throw .unknownComponent(use.keyNode.location, name: use.key, model: name,
                                        suggestion: DidYouMean.suggestion(for: use.key, among: declared))
            }
            weights.append((use.key, try number(use.value, key: use.key, atLeast: nil)))
        }
        let hasBase = weights.contains { w in w.weight != 0 && components.contains { $0.name == w.component && $0.kind == .base } }
        guard hasBase || !needsBase else { throw .modelWithoutBase(place, model: name) }
        return weights
    }

    private func lineage(_ value: YAMLNode, modelName: String, models: [String]) throws(SynthError) -> SynthRecipe.Lineage {
        let fields = try fields(value, key: modelName, allowed: Self.lineageKeys, context: "the lineage of '\(modelName)'")
        var result = SynthRecipe.Lineage()
        if let node = fields.value("role") {
            let text = try read(node, "role", YAMLNode.strictString)
            guard let role = SynthRecipe.Role(rawValue: text) else {
                throw .invalidValue(node.location, key: "role", rule: "'\(text)' is not one of reference, candidate")
            }
            result.role = role
        }
        func modelReference(_ key: String) throws(SynthError) -> String? {
            guard let node = fields.value(key) else { return nil }
            let text = try read(node, key, YAMLNode.strictString)
            if key == "parent", text == "none" { return nil }
            guard models.contains(text) else {
                throw .unknownModel(node.location, name: text, suggestion: DidYouMean.suggestion(for: text, among: models))
            }
            guard text != modelName else { throw .invalidValue(node.location, key: key, rule: "a model cannot be its own \(key)") }
            return text
        }
        result.parent = try modelReference("parent")
        result.claimed = try modelReference("claimed")
        result.note = try fields.value("note").map { n throws(SynthError) in try read(n, "note", YAMLNode.strictString) }
        return result
    }

    // MARK: Reading through PedigreeYAML

    /// Runs one shared typed read (`YAMLNode.uint64`, `.mapping`, …), reporting a failure as the
    /// recipe error for `key`.
    func read<T>(_ node: YAMLNode, _ key: String,
                         _ typed: (YAMLNode) -> () throws(YAMLIssue) -> T) throws(SynthError) -> T {
        do { return try typed(node)() } catch { throw SynthError(error, key: key) }
    }

    /// A section with a fixed set of keys. Unknown keys are reported with the section's name
    /// and the keys it allows, which a plain `YAMLIssue` has no room for.
    func fields(_ node: YAMLNode, key: String, allowed: [String], context: String) throws(SynthError) -> YAMLMapping {
        let mapping = try read(node, key, YAMLNode.mapping)
        if let (entry, suggestion) = mapping.firstUnknownKey(allowed: allowed) {
            throw .unknownKey(entry.keyNode.location, key: entry.key, context: context, suggestion: suggestion, allowed: allowed)
        }
        return mapping
    }

    /// Component and model names become file names and JSON keys: keep them plain.
    private func identifier(_ entry: YAMLMapping.Entry) throws(SynthError) -> String {
        let name = entry.key
        let allowed = name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || "._-".unicodeScalars.contains($0) }
        guard !name.isEmpty, allowed, !name.hasPrefix("."), name.count <= 100 else {
            throw .invalidValue(entry.keyNode.location, key: name, rule: "a name uses only letters, digits, '.', '_' and '-', does not start with '.', and has at most 100 characters")
        }
        return name
    }

    /// A finite number at least `minimum` (greater than it when not `inclusive`); nil means any.
    func number(_ node: YAMLNode, key: String, atLeast minimum: Double?, inclusive: Bool = true) throws(SynthError) -> Double {
        let value = try read(node, key, YAMLNode.finiteDouble)
        if let minimum, inclusive ? value < minimum : value <= minimum {
            // Quote the number as written (`0.0`, `1e-3`), not as re-printed.
            let written = (try? node.string()) ?? ""
            throw .invalidValue(node.location, key: key, rule: "must be \(inclusive ? "at least" : "greater than") \(minimum.formatted()), got \(written)")
        }
        return value
    }
}

private extension Double {
    func formatted() -> String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
