import Foundation
import PedigreeSupport

/// Reads the lineage a checkpoint declares from its `__metadata__` and tensor names.
///
/// Every value comes from whoever made the file, so every value is hostile: none is
/// trusted to be short, shallow, well-formed or printable. A value that breaks a limit is
/// not read and the reason is kept as a note (the audit goes on: a file's claims are never
/// needed for a verdict); every string kept is escaped for the terminal and cut to a sane
/// length, so no control character or endless name reaches a report.
public enum DeclaredLineageReader {
    /// Longest metadata value read (1 MiB); a recipe is a few kilobytes.
    public static let maxValueBytes = 1 << 20
    /// Most lines of an sd-mecha recipe read (a real one has tens to a few thousand).
    public static let maxRecipeLines = 10_000
    /// Most models and steps kept from one file.
    public static let maxModels = 256
    public static let maxSteps = 256
    /// Longest name kept, in characters.
    static let maxNameLength = 160

    public static func read(metadata: [String: String], tensorNames: some Sequence<String>) -> DeclaredLineage {
        var declared = DeclaredLineage()
        var notes: [String] = []
        func value(_ key: String) -> String? {
            guard let raw = metadata[key] else { return nil }
            guard raw.utf8.count <= maxValueBytes else {
                notes.append("\(key): \(raw.utf8.count) bytes, more than the \(maxValueBytes) read; ignored")
                return nil
            }
            return raw
        }

        // ModelSpec.
        declared.hasModelspec = metadata.keys.contains { $0.hasPrefix("modelspec.") }
        declared.title = value("modelspec.title").map(clean)
        declared.author = value("modelspec.author").map(clean)
        declared.licence = value("modelspec.license").map(clean)
        declared.architecture = value("modelspec.architecture").map(clean)
        declared.predictionType = value("modelspec.prediction_type").map(clean)
        var models: [DeclaredModel] = []
        var steps: [DeclaredMergeStep] = []
        if let mergedFrom = value("modelspec.merged_from") {
            for name in mergedFrom.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                models.append(DeclaredModel(source: .modelspecMergedFrom, role: "merged from", name: clean(name)))
            }
        }

        // A1111 / supermerger.
        if let recipe = value("sd_merge_recipe") {
            switch parseJSON(recipe) {
            case .success(let object): WebUIRecipe.read(object, models: &models, steps: &steps)
            case .failure(let reason): notes.append("sd_merge_recipe: \(reason); ignored")
            }
        }
        if let merged = value("sd_merge_models") {
            switch parseJSON(merged) {
            case .success(let object): WebUIRecipe.readModels(object, models: &models, steps: &steps)
            case .failure(let reason): notes.append("sd_merge_models: \(reason); ignored")
            }
        }

        // sd-mecha.
        if let recipe = value("mecha_recipe") {
            if let problem = MechaRecipe.read(recipe, models: &models, steps: &steps) { notes.append("mecha_recipe: \(problem)") }
        }

        // kohya's training base.
        let baseName = value("ss_sd_model_name")
        let baseHash = value("ss_new_sd_model_hash").flatMap(fullHash)
        let legacy = value("ss_sd_model_hash").flatMap(shortHash)
        if baseName != nil || baseHash != nil || legacy != nil {
            models.append(DeclaredModel(source: .kohyaTraining, role: "training base", name: baseName.map(clean), sha256: baseHash, shortHash: legacy))
        }

        if models.count > maxModels { notes.append("\(models.count) declared models; the first \(maxModels) are kept") }
        if steps.count > maxSteps { notes.append("\(steps.count) merge steps; the first \(maxSteps) are kept") }
        declared.models = Array(deduplicated(models).prefix(maxModels))
        declared.steps = Array(steps.prefix(maxSteps))
        declared.markers = tensorNames.filter { $0 == "v_pred" || $0 == "ztsnr" }.sorted()
        declared.notes = notes
        return declared
    }

    // MARK: - Helpers shared by the recipe readers

    /// Escaped for display and cut to `maxNameLength` characters.
    static func clean(_ text: some StringProtocol) -> String {
        TerminalEscaping.excerpt(String(text).trimmingCharacters(in: .whitespaces), limit: maxNameLength)
    }

    /// A full SHA-256 (64 hex digits, any case), lower-cased; nil for anything else.
    static func fullHash(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let hex = trimmed.hasPrefix("0x") ? String(trimmed.dropFirst(2)) : trimmed
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? hex : nil
    }

    /// An 8- or 10-digit short hash, lower-cased; nil for anything else.
    static func shortHash(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        return (trimmed.count == 8 || trimmed.count == 10) && trimmed.allSatisfy(\.isHexDigit) ? trimmed : nil
    }

    enum JSONOutcome {
        case success(JSONValue)
        case failure(String)
    }

    static func parseJSON(_ text: String) -> JSONOutcome {
        do throws(JSONSyntaxError) {
            return .success(try StrictJSONParser.parse(Array(text.utf8)))
        } catch {
            return .failure("not valid JSON at byte \(error.offset) (\(error.reason))")
        }
    }

    /// The same model declared twice (by two keys, or twice in one recipe) is listed once.
    static func deduplicated(_ models: [DeclaredModel]) -> [DeclaredModel] {
        var seen = Set<DeclaredModel>()
        return models.filter { seen.insert($0).inserted }
    }
}

extension Character {
    fileprivate var isHexDigit: Bool { isASCII && (isNumber || ("a" ... "f").contains(self) || ("A" ... "F").contains(self)) }
}
