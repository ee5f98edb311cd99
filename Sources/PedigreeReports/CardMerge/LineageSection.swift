import Foundation
import PedigreeLineage
import PedigreePolicy

/// The card body's "Licence and lineage" section, between stable markers so that a later
/// run replaces it and nothing else. Every value from the audit or the policies is escaped:
/// a release name like `x --> <script>` must stay text.
struct LineageSection {
    static let begin = "<!-- pedigree:lineage:begin -->"
    static let end = "<!-- pedigree:lineage:end -->"

    var audit: AuditDocument
    var policies: PolicySet?

    func render(newline: String) -> String {
        var lines: [String] = [Self.begin, "## Licence and lineage", ""]
        lines.append("_Written by `pedigree card` from a Pedigree audit; edits between these markers are replaced on the next run._")
        lines.append("")
        let outcome = audit.outcome.summary.map { " — " + MarkdownEscaping.inline($0) } ?? ""
        lines.append("**Audit verdict: \(audit.verdict.word)**\(outcome)")
        lines.append("")
        if let summary = audit.lineage.summary {
            lines.append("**Likely lineage:** " + MarkdownEscaping.inline(summary) + (audit.lineage.borderline == true ? " (borderline)" : ""))
            lines.append("")
        }
        if audit.inheritance.isEmpty {
            lines.append("No base model's licence was found to reach these weights. That is not a clean bill: the audit may simply not know the model they come from.")
        } else {
            lines.append("Licences that reach these weights, through the models they inherit from:")
            lines.append("")
            lines.append("| model | licence | why |")
            lines.append("|---|---|---|")
            for model in audit.inheritance {
                let name = model.name.map { MarkdownEscaping.inline($0) + " (\(MarkdownEscaping.code(model.id)))" } ?? MarkdownEscaping.code(model.id)
                let licence = model.licence.map(licenceLabel) ?? "unknown"
                let why = model.isDirect ? "measured: the weights descend from it" : "ancestor, via " + (model.via ?? []).map(MarkdownEscaping.code).joined(separator: " → ")
                lines.append("| \(name) | \(licence) | \(why) |")
            }
        }
        lines.append("")
        if let release = audit.release {
            let bases = (release.declaredBases ?? []).map(MarkdownEscaping.code).joined(separator: ", ")
            lines.append("Declared by the maker: bases \(bases.isEmpty ? "none" : bases); licence \(release.licence.map(licenceLabel) ?? "none").")
            lines.append("")
        }
        let open = audit.obligations.filter { $0.status == .unmet || $0.status == .unverifiable }
        if !open.isEmpty {
            lines.append("Obligations not shown to be met:")
            lines.append("")
            for obligation in open {
                let summary = obligation.summary.map { " — " + MarkdownEscaping.inline($0) } ?? ""
                lines.append("- \(MarkdownEscaping.code(obligation.id)) (\(MarkdownEscaping.code(obligation.licence)), \(ReportVocabulary.statusLabel(obligation.status)))\(summary)")
            }
            lines.append("")
        }
        var identity = ["audit report SHA-256 \(MarkdownEscaping.code(audit.sourceDigest))"]
        if let sha = audit.candidate.sha256 { identity.insert("checkpoint SHA-256 \(MarkdownEscaping.code(sha))", at: 0) }
        if let digest = audit.policySet?.digest.hex { identity.append("policy set \(MarkdownEscaping.code(digest))") }
        if let tool = audit.tool { identity.append("\(MarkdownEscaping.inline(tool.name)) \(MarkdownEscaping.code(tool.version))") }
        lines.append("Audited: " + identity.joined(separator: "; ") + ".")
        lines.append("")
        lines.append("> " + MarkdownEscaping.inline(AuditReport.disclaimer))
        lines.append(Self.end)
        return lines.joined(separator: newline) + newline
    }

    private func licenceLabel(_ id: String) -> String {
        guard let licence = policies?.licence(id) else { return MarkdownEscaping.code(id) }
        let name = MarkdownEscaping.inline(licence.name)
        let safeURL = licence.url.hasPrefix("https://") && !licence.url.contains(where: { " <>()[]\"'`".contains($0) || $0.isNewline })
        return (safeURL ? "[\(name)](\(licence.url))" : name) + " (\(MarkdownEscaping.code(id)))"
    }
}
