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
        // What each instruction stands for, so `&i` arguments read as values: a model's
        // file name, a literal's scalar, the result of another merge.
        var values: [String] = []
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let tokens = tokenize(trimmed), let command = tokens.first else {
                if problem == nil { problem = "line \(number + 2) is not an instruction (unbalanced quotes); such lines are skipped" }
                values.append("?")
                continue
            }
            let arguments = Array(tokens.dropFirst())
            func resolved(_ token: String) -> String {
                if token.hasPrefix("&"), let index = Int(token.dropFirst()), values.indices.contains(index) { return values[index] }
                return unquoted(token)
            }
            switch command {
            case "model" where !arguments.isEmpty:
                let name = DeclaredLineageReader.clean(fileName(unquoted(arguments[0])))
                models.append(DeclaredModel(source: .mechaRecipe, role: "model", name: name))
                values.append(name)
            case "dict":
                // A one-entry dict of a scalar is how sd-mecha writes a plain number.
                let entries = arguments.filter { $0.contains("=") }
                values.append(entries.count == 1 ? resolved(String(entries[0].split(separator: "=", maxSplits: 1)[1])) : "{…}")
            case "literal" where !arguments.isEmpty:
                values.append(resolved(arguments[0]))
            case "merge" where !arguments.isEmpty:
                let method = unquoted(arguments[0])
                let inputs = arguments.dropFirst()
                if method.hasPrefix("convert") {
                    // Format plumbing, not a merge: it stands for its input.
                    values.append(inputs.first.map(resolved) ?? "?")
                    continue
                }
                let settings = inputs.map { token -> String in
                    guard let equals = token.firstIndex(of: "=") else { return DeclaredLineageReader.clean(resolved(token)) }
                    return DeclaredLineageReader.clean(String(token[..<equals]) + "=" + resolved(String(token[token.index(after: equals)...])))
                }
                steps.append(DeclaredMergeStep(source: .mechaRecipe, method: DeclaredLineageReader.clean(method), settings: settings))
                values.append("(\(method))")
            default:
                values.append("?")
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
