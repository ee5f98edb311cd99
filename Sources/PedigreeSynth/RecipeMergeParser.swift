import PedigreeFormat
import PedigreeYAML
import PedigreeSupport

/// The recipe rules for spectra, merge models and storage types. Same conventions as the
/// rest of `RecipeParser`: strict keys per section, one-line errors with line:column.
extension RecipeParser {
    /// Keys a structured model may have; component names may not take them.
    static let modelKeys = ["merge", "weights", "plus", "dtype"]
    static let spectrumKeys = ["exponent", "rank", "tail"]

    /// The keys each merge method reads (besides `merge`, `plus`, `dtype`).
    static func methodKeys(_ method: SynthRecipe.MergeMethod) -> [String] {
        switch method {
        case .slerp: ["a", "b", "alpha"]
        case .ties: ["base", "models", "density", "alpha"]
        case .dare: ["base", "models", "drop", "alpha", "sign_election", "seed"]
        case .modelStock: ["base", "models"]
        case .blockWeights: ["a", "b", "alpha", "blocks"]
        case .transplant: ["from"] + PedigreeFormat.Component.allCases.map(\.rawValue)
        case .unmerge: ["model", "base", "reference", "rank", "strength"]
        }
    }

    /// `none`, `power_law` (the standard spectrum) or {exponent, rank, tail}.
    func spectrum(_ node: YAMLNode, kind: SynthRecipe.ComponentKind) throws(SynthError) -> SynthRecipe.Spectrum? {
        if let text = try? node.strictString() {
            switch text {
            case "none": return nil
            case "power_law" where kind == .delta: return .standard
            default: break
            }
        }
        guard kind == .delta else {
            throw .invalidValue(node.location, key: "spectrum", rule: "only a delta has a spectrum; a base is a whole weight set (use 'none' or remove it)")
        }
        if let text = try? node.strictString() {
            throw .invalidValue(node.location, key: "spectrum", rule: "'\(text)' is not one of none, power_law, or a mapping {exponent, rank, tail}")
        }
        let fields = try fields(node, key: "spectrum", allowed: Self.spectrumKeys, context: "the spectrum")
        var result = SynthRecipe.Spectrum.standard
        if let n = fields.value("exponent") { result.exponent = try number(n, key: "exponent", atLeast: 0) }
        if let n = fields.value("tail") {
            result.tail = try number(n, key: "tail", atLeast: 0)
            guard result.tail < 1 else { throw .invalidValue(n.location, key: "tail", rule: "must be below 1 (it is the i.i.d. fraction of the energy)") }
        }
        if let n = fields.value("rank") {
            let rank = try number(n, key: "rank", atLeast: 1)
            guard rank == rank.rounded(), rank <= 512 else {
                throw .invalidValue(n.location, key: "rank", rule: "must be a whole number from 1 to 512")
            }
            result.rank = Int(rank)
        }
        return result
    }

    /// A model with `merge:`, `weights:` or `dtype:`.
    func structuredModel(_ entry: YAMLMapping.Entry, mapping: YAMLMapping, components: [SynthRecipe.Component],
                         models: [String]) throws(SynthError) -> SynthRecipe.Model {
        let name = entry.key
        let context = "model '\(name)'"
        var dtype: DType?
        if let node = mapping.value("dtype") { dtype = try storageType(node) }

        guard let methodNode = mapping.value("merge") else {
            _ = try fields(entry.value, key: name, allowed: ["weights", "dtype"], context: context)
            guard let weightsNode = mapping.value("weights") else {
                throw .missingKey(entry.value.location, key: "weights", context: context)
            }
            let weightMap = try read(weightsNode, "weights", YAMLNode.mapping)
            let weights = try weights(name, place: entry.keyNode.location, mapping: weightMap, components: components, needsBase: true)
            return SynthRecipe.Model(name: name, weights: weights, dtype: dtype)
        }
        let methodText = try read(methodNode, "merge", YAMLNode.strictString)
        guard let method = SynthRecipe.MergeMethod(rawValue: methodText) else {
            let options = SynthRecipe.MergeMethod.allCases.map(\.rawValue)
            let hint = DidYouMean.suggestion(for: methodText, among: options).map { "; did you mean '\($0)'?" } ?? ""
            throw .invalidValue(methodNode.location, key: "merge", rule: "'\(methodText)' is not one of \(options.joined(separator: ", "))\(hint)")
        }
        let allowed = ["merge", "plus", "dtype"] + Self.methodKeys(method)
        let fields = try fields(entry.value, key: name, allowed: allowed, context: "\(context) (merge: \(methodText))")

        func required(_ key: String) throws(SynthError) -> YAMLNode {
            guard let node = fields.value(key) else { throw .missingKey(entry.value.location, key: key, context: context) }
            return node
        }
        func modelName(_ node: YAMLNode, _ key: String) throws(SynthError) -> String {
            let text = try read(node, key, YAMLNode.strictString)
            guard models.contains(text) else {
                throw .unknownModel(node.location, name: text, suggestion: DidYouMean.suggestion(for: text, among: models))
            }
            guard text != name else { throw .mergeCycle(node.location, model: name, path: [name, name]) }
            return text
        }
        func fraction(_ key: String, default value: Double, lowOpen: Bool = false, highOpen: Bool = false) throws(SynthError) -> Double {
            guard let node = fields.value(key) else { return value }
            let x = try number(node, key: key, atLeast: 0, inclusive: !lowOpen)
            guard highOpen ? x < 1 : x <= 1 else {
                throw .invalidValue(node.location, key: key, rule: "must be \(highOpen ? "below" : "at most") 1")
            }
            return x
        }

        var merge = SynthRecipe.Merge(method: method, seed: FNV1a.hash("dare:" + name))
        switch method {
        case .slerp, .blockWeights:
            merge.a = try modelName(try required("a"), "a")
            merge.b = try modelName(try required("b"), "b")
            merge.alpha = method == .slerp ? try fraction("alpha", default: 0.5)
                : try fields.value("alpha").map { n throws(SynthError) in try number(n, key: "alpha", atLeast: nil) } ?? 0
            if let blocksNode = fields.value("blocks") {
                for block in try read(blocksNode, "blocks", YAMLNode.mapping).entries {
                    guard SynthRecipe.blockLabels.contains(block.key) else {
                        let hint = DidYouMean.suggestion(for: block.key, among: SynthRecipe.blockLabels).map { "; did you mean '\($0)'?" } ?? ""
                        throw .invalidValue(block.keyNode.location, key: block.key,
                                            rule: "a block is one of BASE, IN00–IN08, M00, OUT00–OUT08\(hint)")
                    }
                    merge.blocks[block.key] = try number(block.value, key: block.key, atLeast: nil)
                }
            }
        case .ties, .dare, .modelStock:
            let baseNode = try required("base")
            merge.base = try modelName(baseNode, "base")
            let modelsNode = try required("models")
            for input in try read(modelsNode, "models", YAMLNode.mapping).entries {
                let model = try modelName(input.keyNode, input.key)
                guard model != merge.base else {
                    throw .unusableMerge(input.keyNode.location, model: name, rule: "the base '\(model)' cannot also be a merged model (its delta is zero)")
                }
                merge.inputs.append(.init(model: model, weight: try number(input.value, key: input.key, atLeast: nil)))
            }
            guard merge.inputs.count >= (method == .modelStock ? 2 : 1) else {
                throw .unusableMerge(modelsNode.location, model: name,
                                     rule: method == .modelStock ? "model stock needs at least 2 fine-tunes of the base" : "list at least one model to merge")
            }
            if method == .modelStock, merge.inputs.contains(where: { $0.weight != 1 }) {
                throw .unusableMerge(modelsNode.location, model: name, rule: "model stock weighs its fine-tunes equally; give each weight 1")
            }
            merge.alpha = try fields.value("alpha").map { n throws(SynthError) in try number(n, key: "alpha", atLeast: nil) } ?? 1
            merge.density = try fraction("density", default: 1, lowOpen: true)
            merge.drop = try fraction("drop", default: 0, highOpen: true)
            let election = try fields.value("sign_election").map { n throws(SynthError) in try read(n, "sign_election", YAMLNode.bool) }
            merge.signElection = method == .ties || election == true
            if let n = fields.value("seed") { merge.seed = try read(n, "seed", YAMLNode.uint64) }
        case .unmerge:
            merge.model = try modelName(try required("model"), "model")
            merge.base = try modelName(try required("base"), "base")
            merge.reference = try modelName(try required("reference"), "reference")
            guard merge.base != merge.reference else {
                throw .unusableMerge(fields.value("reference")!.location, model: name,
                                     rule: "the reference and the base are the same model (the change to extract is zero)")
            }
            let rankNode = try required("rank")
            let rank = try number(rankNode, key: "rank", atLeast: 1)
            guard rank == rank.rounded(), rank <= 4096 else {
                throw .invalidValue(rankNode.location, key: "rank", rule: "must be a whole number from 1 to 4096 (the LoRA rank at full width)")
            }
            merge.rank = Int(rank)
            if let node = fields.value("strength") {
                let strength = try number(node, key: "strength", atLeast: nil)
                guard strength != 0, abs(strength) <= 4 else {
                    throw .invalidValue(node.location, key: "strength", rule: "a LoRA strength is non-zero and within ±4")
                }
                merge.strength = strength
            }
        case .transplant:
            merge.from = try fields.value("from").map { n throws(SynthError) in try modelName(n, "from") }
            for component in PedigreeFormat.Component.allCases {
                if let n = fields.value(component.rawValue) { merge.sources[component.rawValue] = try modelName(n, component.rawValue) }
            }
            guard merge.from != nil || merge.sources.count == PedigreeFormat.Component.allCases.count else {
                throw .missingKey(entry.value.location, key: "from", context: "\(context) (the model for the components not listed)")
            }
        }
        var plus: [(component: String, weight: Double)] = []
        if let plusNode = fields.value("plus") {
            plus = try weights(name, place: plusNode.location, mapping: try read(plusNode, "plus", YAMLNode.mapping), components: components, needsBase: false)
        }
        return SynthRecipe.Model(name: name, weights: plus, merge: merge, dtype: dtype)
    }

    /// f16, bf16, f32 or fp8 (= F8_E4M3, the FP8 checkpoints are stored in).
    func storageType(_ node: YAMLNode) throws(SynthError) -> DType {
        let text = try read(node, "dtype", YAMLNode.strictString)
        guard let type = SynthFamilyWriter.storageTypes[text.lowercased()] else {
            throw .invalidValue(node.location, key: "dtype", rule: "'\(text)' is not one of f16, bf16, f32, fp8")
        }
        return type
    }

    /// Sorts models so that every merge follows the models it reads (recipe order otherwise);
    /// a cycle is an error naming it.
    func dependencyOrder(_ models: [SynthRecipe.Model], places: [String: SourceLocation]) throws(SynthError) -> [SynthRecipe.Model] {
        let byName = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Int] = [:]  // 1 = visiting, 2 = done
        var ordered: [SynthRecipe.Model] = []
        func visit(_ name: String, path: [String]) throws(SynthError) {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let cycle = Array(path.drop { $0 != name }) + [name]
                throw .mergeCycle(places[name] ?? SourceLocation(file: self.path, line: 1, column: 1), model: name, path: cycle)
            }
            state[name] = 1
            guard let model = byName[name] else { return }
            for dependency in model.merge?.dependencies ?? [] { try visit(dependency, path: path + [name]) }
            state[name] = 2
            ordered.append(model)
        }
        for model in models { try visit(model.name, path: []) }
        return ordered
    }
}
