import PedigreePolicy

/// The text rendering of `policy show`.
public enum PolicyShowText {
    public static func render(_ summary: ModelPolicySummary) -> String {
        let model = summary.model
        var lines = ["\(model.id): \(model.name) (\(model.publisher))",
                     "licence: \(model.licence.id) [\(model.licence.evidence.rawValue)]",
                     "prediction: \(model.prediction.type.rawValue)", "", "LINEAGE (up to roots: \(summary.roots.joined(separator: ", ")))"]
        lines += tree(summary.lineage, prefix: "", isRoot: true)
        lines += ["", "COMMERCIAL USE: \(summary.commercialUse.rawValue)" + (summary.commercialUseFrom.map { " (from \($0))" } ?? "")]
        lines += ["", "OBLIGATIONS PASSED ON (\(summary.obligations.count))"]
        for item in summary.obligations {
            let obligation = item.obligation
            lines.append("- \(obligation.id) [\(obligation.severity.rawValue)] from \(item.licenceId)")
            lines.append("    \(obligation.summary)")
            let metBy = obligation.metBy.map { "\($0.field.rawValue)=\($0.when.rawValue)" }.joined(separator: ", ")
            lines.append("    met by: \(metBy.isEmpty ? "not checkable from a release manifest" : metBy)")
            lines.append("    via: \(item.pathText)")
        }
        let doubts = model.uncertainty
        if !doubts.isEmpty {
            lines += ["", "UNCERTAINTY"]
            lines += doubts.map { "- \($0.about): \($0.note)" }
        }
        return lines.joined(separator: "\n")
    }

    public static func render(_ summary: LicencePolicySummary) -> String {
        let licence = summary.licence
        var lines = ["\(licence.id): \(licence.name)", "url: \(licence.url)"]
        if !summary.extends.isEmpty { lines.append("extends: \(summary.extends.joined(separator: " → "))") }
        let hf = licence.identifiers.huggingface
        lines.append("hugging face: license \(hf.license)" + (hf.licenseName.map { ", license_name \($0)" } ?? ""))
        lines += ["", "COMMERCIAL USE: \(licence.commercialUse.status.rawValue)", "    \(licence.commercialUse.summary)"]
        let allowed = licence.derivatives.allowed.isEmpty ? "" : " (allowed: \(licence.derivatives.allowed.joined(separator: ", ")))"
        lines += ["", "DERIVATIVES: \(licence.derivatives.rule.rawValue)\(allowed)", "    \(licence.derivatives.summary)"]
        lines += ["", "OBLIGATIONS (\(summary.obligations.count))"]
        for item in summary.obligations {
            let obligation = item.obligation
            let from = item.licenceId == licence.id ? "" : " from \(item.licenceId)"
            lines.append("- \(obligation.id) [\(obligation.severity.rawValue)]\(from)")
            lines.append("    \(obligation.summary)")
            let metBy = obligation.metBy.map { "\($0.field.rawValue)=\($0.when.rawValue)" }.joined(separator: ", ")
            lines.append("    met by: \(metBy.isEmpty ? "not checkable from a release manifest" : metBy)")
        }
        lines += ["", "MODELS UNDER IT: \(summary.models.isEmpty ? "none in the set" : summary.models.joined(separator: ", "))"]
        if !licence.uncertainty.isEmpty {
            lines += ["", "UNCERTAINTY"]
            lines += licence.uncertainty.map { "- \($0.about): \($0.note)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func tree(_ node: LineageNode, prefix: String, isRoot: Bool) -> [String] {
        var lines: [String] = []
        if isRoot {
            lines.append(node.id)
        }
        for (index, parent) in node.parents.enumerated() {
            let last = index == node.parents.count - 1
            let edge = parent.edge.map { "\($0.relation.rawValue) of " } ?? ""
            let evidence = parent.edge.map { " [\($0.evidence.rawValue)]" } ?? ""
            let skipped = parent.edge.flatMap { $0.skipped.isEmpty ? nil : " (skipping \($0.skipped.joined(separator: ", ")))" } ?? ""
            lines.append(prefix + (last ? "└─ " : "├─ ") + edge + parent.id + evidence + skipped)
            lines += tree(parent, prefix: prefix + (last ? "   " : "│  "), isRoot: false)
        }
        return lines
    }
}
