import Foundation
import PedigreeLineage
import PedigreeSupport

/// Writes an audit's files into a folder: `<stem>.md`, `<stem>.json`, `<stem>.html` and
/// `<stem>.model-card.yaml`. Each file appears atomically (temporary file + rename), so a
/// reader or an upload script never picks up half a report.
public struct ReportWriter: Sendable {
    public static let defaultFolder = "Reports"

    /// Where each file went, in the order written.
    public struct WrittenReports: Sendable, Equatable {
        public var markdown: String
        public var json: String
        public var html: String
        public var modelCard: String
        public var all: [String] { [markdown, json, html, modelCard] }
    }

    public var folder: String

    public init(folder: String = ReportWriter.defaultFolder) { self.folder = folder }

    public func write(_ report: AuditReport, stem: String? = nil) throws(FileAccessError) -> WrittenReports {
        let name = stem.map(ReportFileStem.sanitized) ?? ReportFileStem.stem(for: report)
        let base = URL(fileURLWithPath: folder)
        func path(_ suffix: String) -> String { base.appendingPathComponent(name + suffix).path }

        let written = WrittenReports(markdown: path(".md"), json: path(".json"), html: path(".html"), modelCard: path(".model-card.yaml"))
        try AtomicFile.write(MarkdownRenderer().render(report), to: written.markdown)
        try AtomicFile.write(JSONReportRenderer().render(report), to: written.json)
        try AtomicFile.write(HTMLRenderer().render(report), to: written.html)
        try AtomicFile.write(ModelCardFragmentRenderer().render(report), to: written.modelCard)
        return written
    }
}
