import PedigreeLineage

/// A self-contained HTML page (inline CSS and SVG; no scripts, fonts or network) that a
/// person can open, read and print: verdict banner, lineage, similarity charts, obligations,
/// findings, how to read it, and provenance.
public struct HTMLRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport) -> String {
        let title = "Pedigree audit: \(ReportVocabulary.title(report))"
        let body: [String] = [
            HTMLSections.header(report),
            HTMLSections.actions(report),
            HTMLSections.lineage(report),
            HTMLSections.declared(report),
            HTMLSections.attribution(report),
            HTMLSections.similarity(report),
            HTMLSections.blocks(report),
            HTMLSections.deltasAndBaselines(report),
            HTMLSections.outsidePolicies(report),
            HTMLSections.obligations(report),
            HTMLSections.findings(report),
            HTMLSections.modelCard(report),
            HTMLSections.readingGuide(report),
            HTMLSections.provenance(report),
        ]
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="\(HTMLEscaping.escape("\(report.tool.name) \(report.tool.version)"))">
        <title>\(HTMLEscaping.escape(title))</title>
        <style>
        \(HTMLStyle.css)
        </style>
        </head>
        <body>
        <main>
        \(body.filter { !$0.isEmpty }.joined(separator: "\n"))
        </main>
        </body>
        </html>

        """
    }

    /// Shortens a label that has to fit a fixed space in a chart; the full text stays in
    /// the chart's `<title>` and in the tables.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
    }
}
