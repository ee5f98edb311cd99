import PedigreeLineage

/// The shapes an audit report can be rendered in. The raw values are the names users type
/// (`--format md`) and, except for `text`, the file extensions `ReportWriter` uses.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case text, md, json, html

    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .md: "md"
        case .json: "json"
        case .html: "html"
        }
    }

    /// The renderer for this format. `colored` only matters for `text`; the caller decides
    /// it (terminal, `NO_COLOR`), never the renderer.
    public func renderer(colored: Bool = false) -> any ReportRenderer {
        switch self {
        case .text: AuditTextRenderer(colored: colored)
        case .md: MarkdownRenderer()
        case .json: JSONReportRenderer()
        case .html: HTMLRenderer()
        }
    }
}

/// Turns an audit report into one document. Renderers are pure: the same report gives the
/// same bytes, with no clock, locale or environment involved.
public protocol ReportRenderer: Sendable {
    func render(_ report: AuditReport) -> String
}
