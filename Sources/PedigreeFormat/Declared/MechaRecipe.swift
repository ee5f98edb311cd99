import Foundation

/// sd-mecha's serialized recipe, which it writes as `mecha_recipe` in every file it merges:
/// a `version …` line, then one instruction a line — `model "PATH" model_config=… merge_space=…`,
/// `merge "METHOD" &i &j key=value…`, `literal …`, `dict …` — where `&i` refers to the
/// i-th instruction (format from sd-mecha's `serialization.py`, research/realworld.md §5).
///
/// Only what a lineage needs is read: the models (by their file names) and the merge
/// methods with their settings. References are not resolved into a graph.
enum MechaRecipe {
    /// Reads `text`; returns why it was not read (or not wholly), else nil.
    static func read(_ text: String, models: inout [DeclaredModel], steps: inout [DeclaredMergeStep]) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("version ") else { return "does not start with a `version` line; ignored" }
        lines.removeFirst()
        var problem: String?
        if lines.count > DeclaredLineageReader.maxRecipeLines {
            problem = "\(lines.count) lines; the first \(DeclaredLineageReader.maxRecipeLines) are read"
            lines = Array(lines.prefix(DeclaredLineageReader.maxRecipeLines))
        }
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let tokens = tokenize(trimmed), let command = tokens.first else {
                if problem == nil { problem = "line \(number + 2) is not an instruction (unbalanced quotes); such lines are skipped" }
                continue
            }
            switch command {
            case "model":
                guard tokens.count > 1 else { continue }
                let path = unquoted(tokens[1])
                models.append(DeclaredModel(source: .mechaRecipe, role: "model", name: DeclaredLineageReader.clean(fileName(path))))
            case "merge":
                guard tokens.count > 1 else { continue }
                let settings = tokens.dropFirst(2).filter { $0.contains("=") }.map { DeclaredLineageReader.clean($0) }
                steps.append(DeclaredMergeStep(source: .mechaRecipe, method: DeclaredLineageReader.clean(unquoted(tokens[1])), settings: settings))
            default:
                continue
            }
        }
        return problem
    }

    /// Splits on spaces outside quotes; a backslash escapes the next character (as
    /// sd-mecha's tokenizer does). Nil when a quote is left open.
    static func tokenize(_ line: String) -> [String]? {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == " ", !quoted {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        guard !quoted else { return nil }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    static func unquoted(_ token: String) -> String {
        token.count >= 2 && token.hasPrefix("\"") && token.hasSuffix("\"") ? String(token.dropFirst().dropLast()) : token
    }

    /// The last path component: a model is named by its file, not by where the merger kept it
    /// (a local path says nothing about lineage and may say something about the merger).
    static func fileName(_ path: String) -> String {
        let last = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? path
        return last
    }
}
