import PedigreeAuthoring

/// The text rendering of `policy diff`.
public enum PolicyDiffText {
    public static func render(_ diff: PolicyDiff, old: String, new: String) -> String {
        var lines = ["policy diff \(old) → \(new)"]
        if let a = diff.old, let b = diff.new { lines.append("digest \(a.digest.hex.prefix(12)) → \(b.digest.hex.prefix(12))") }
        if diff.isEmpty { return (lines + ["no change to models, licences, obligations, inheritance or bands"]).joined(separator: "\n") }
        if !diff.obligations.isEmpty {
            lines += ["", "OBLIGATIONS PASSED ON, PER MODEL"]
            for item in diff.obligations {
                lines.append(item.model)
                lines += item.added.map { "  + \($0)" } + item.removed.map { "  - \($0)" } + item.changed.map { "  ~ \($0)" }
            }
        }
        if !diff.inheritance.isEmpty {
            lines += ["", "INHERITANCE (ancestors whose licences reach the model)"]
            for item in diff.inheritance {
                lines.append(item.model)
                lines += item.added.map { "  + \($0)" } + item.removed.map { "  - \($0)" }
            }
        }
        for (title, entries) in [("MODELS", diff.models), ("LICENCES", diff.licences)] where !entries.isEmpty {
            lines += ["", title]
            for entry in entries {
                let mark = switch entry.change { case .added: "+"; case .removed: "-"; case .changed: "~" }
                lines.append("\(mark) \(entry.id)")
                lines += entry.details.map { "    \($0)" }
            }
        }
        if !diff.classification.isEmpty {
            lines += ["", "CLASSIFICATION (bands and thresholds)"] + diff.classification.map { "  ~ \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
