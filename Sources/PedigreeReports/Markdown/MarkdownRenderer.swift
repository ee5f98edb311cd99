import PedigreeLineage

/// The report for a model page (Civitai description, Hugging Face model-card body): the
/// computed model-card front matter, then the verdict, lineage, similarity, obligations,
/// findings, how to read it, and where every figure came from.
public struct MarkdownRenderer: ReportRenderer {
    /// Start with the model-card YAML front matter (on by default; off when the text is
    /// pasted below an existing card's own front matter).
    public var includeFrontMatter: Bool

    public init(includeFrontMatter: Bool = true) { self.includeFrontMatter = includeFrontMatter }

    public func render(_ report: AuditReport) -> String {
        let sections: [[String]] = [
            includeFrontMatter ? [ModelCardFragmentRenderer.frontMatter(report.modelCard).trimmingTrailingNewline] : [],
            MarkdownSections.verdict(report),
            MarkdownSections.actions(report),
            MarkdownSections.lineage(report),
            MarkdownSections.declared(report),
            MarkdownSections.attribution(report),
            MarkdownSections.similarity(report),
            MarkdownSections.blocks(report),
            MarkdownSections.deltas(report),
            MarkdownSections.baselines(report),
            MarkdownSections.outsidePolicies(report),
            MarkdownSections.obligations(report),
            MarkdownSections.findings(report),
            MarkdownSections.readingGuide(report),
            MarkdownSections.provenance(report),
        ]
        return sections.filter { !$0.isEmpty }.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }
}

extension String {
    var trimmingTrailingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
