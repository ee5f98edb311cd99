import PedigreeLineage

/// Every shape a command can print its result in: the one vocabulary of `--format`. The raw
/// values are the names users type (`--format md`). Each command takes only the formats
/// that apply to what it prints (an audit has no CSV, a result list no HTML).
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case text, md, json, html
    /// A CycloneDX 1.6 ML-BOM of an audit (`audit` and `classify`).
    case cyclonedx
    /// One row per item, RFC 4180 (`results`).
    case csv

    /// The formats an audit report renders to by itself (`renderer(colored:)`); a CycloneDX
    /// BOM needs the audit document and the policies as well.
    public static let auditReport: [ReportFormat] = [.text, .md, .json, .html]

    /// What `audit` and `classify` print: the report itself, or its BOM.
    public static let auditOutputs: [ReportFormat] = auditReport + [.cyclonedx]

    /// The formats of a command that prints a summary for people or for programs.
    public static let textOrJSON: [ReportFormat] = [.text, .json]

    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .md: "md"
        case .json: "json"
        case .html: "html"
        case .cyclonedx: "cdx.json"
        case .csv: "csv"
        }
    }

    /// The renderer of an audit report in this format, nil for a format outside
    /// `auditReport`. `colored` only matters for `text`; the caller decides it (terminal,
    /// `NO_COLOR`), never the renderer.
    public func renderer(colored: Bool = false) -> (any ReportRenderer)? {
        switch self {
        case .text: AuditTextRenderer(colored: colored)
        case .md: MarkdownRenderer()
        case .json: JSONReportRenderer()
        case .html: HTMLRenderer()
        case .cyclonedx, .csv: nil
        }
    }
}

/// Turns an audit report into one document. Renderers are pure: the same report gives the
/// same bytes, with no clock, locale or environment involved.
public protocol ReportRenderer: Sendable {
    func render(_ report: AuditReport) -> String
}
