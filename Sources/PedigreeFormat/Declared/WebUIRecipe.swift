/// A1111's checkpoint merger and supermerger: `sd_merge_recipe` (one merge: the models by
/// full SHA-256, the method, the multiplier) and `sd_merge_models` (every model merged so
/// far, keyed by SHA-256, with its name, legacy hash and own recipe, flattened across
/// merges of merges). Field names from A1111's `modules/extras.py` and supermerger's
/// `scripts/mergers/mergers.py` (research/realworld.md §5).
enum WebUIRecipe {
    /// Keys naming a model, and the role each gives it.
    static let modelKeys: [(key: String, role: String)] = [
        ("primary_model_hash", "primary"), ("secondary_model_hash", "secondary"), ("tertiary_model_hash", "tertiary"),
        ("model_a", "model A"), ("model_b", "model B"), ("model_c", "model C"),
    ]
    /// Settings worth showing next to the method.
    static let settingKeys = ["multiplier", "base_alpha", "base_beta", "weights_alpha", "weights_beta", "calcmode", "mbw", "elemental_merge"]

    static func read(_ recipe: JSONValue, models: inout [DeclaredModel], steps: inout [DeclaredMergeStep]) {
        guard case .object(let members) = recipe else { return }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for (key, role) in modelKeys {
            guard let text = fields[key]?.scalarText, !text.isEmpty else { continue }
            if let hash = DeclaredLineageReader.fullHash(text) {
                models.append(DeclaredModel(source: .webuiRecipe, role: role, sha256: hash))
            } else if let short = DeclaredLineageReader.shortHash(text) {
                models.append(DeclaredModel(source: .webuiRecipe, role: role, shortHash: short))
            } else {
                models.append(DeclaredModel(source: .webuiRecipe, role: role, name: DeclaredLineageReader.clean(text)))
            }
        }
        let method = fields["interp_method"]?.scalarText ?? fields["mode"]?.scalarText
        if let method, !method.isEmpty {
            let settings = settingKeys.compactMap { key in
                fields[key]?.scalarText.map { "\(key)=\(DeclaredLineageReader.clean($0))" }
            }
            let tool = fields["type"]?.scalarText.map(DeclaredLineageReader.clean)
            steps.append(DeclaredMergeStep(source: .webuiRecipe, method: DeclaredLineageReader.clean(method),
                                           settings: (tool.map { ["tool=\($0)"] } ?? []) + settings))
        }
    }

    static func readModels(_ map: JSONValue, models: inout [DeclaredModel], steps: inout [DeclaredMergeStep]) {
        guard case .object(let entries) = map else { return }
        for entry in entries.prefix(DeclaredLineageReader.maxModels) {
            guard case .object(let members) = entry.value else { continue }
            let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            let name = fields["name"]?.scalarText.map(DeclaredLineageReader.clean)
            let legacy = fields["legacy_hash"]?.scalarText.flatMap(DeclaredLineageReader.shortHash)
            models.append(DeclaredModel(source: .webuiModels, role: "merged model", name: name,
                                        sha256: DeclaredLineageReader.fullHash(entry.key), shortHash: legacy))
            // A model that was itself a merge carries its own recipe (an object, or a JSON string).
            switch fields["sd_merge_recipe"] {
            case .object?: read(fields["sd_merge_recipe"]!, models: &models, steps: &steps)
            case .string(let text)?:
                if case .success(let nested) = DeclaredLineageReader.parseJSON(text) { read(nested, models: &models, steps: &steps) }
            default: break
            }
        }
    }
}

extension JSONValue {
    /// A string, number or boolean as text (recipes write multipliers both ways).
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let literal): literal
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
