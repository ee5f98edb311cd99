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

    /// Makes sure the folder exists and takes files, before an audit reads any weights: an
    /// audit that runs for minutes must not be lost to a folder it cannot write.
    public func prepare() throws(FileAccessError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: folder, reason: "cannot create the report folder: \((error as NSError).localizedDescription)")
        }
        // The probe is an atomic output dropped uncommitted: it never reaches its name, and a
        // kill mid-probe leaves a temporary that the next run's probe removes (Foundation's
        // createFile would leave a `.dat.nosync…` file nothing cleans up).
        do throws(FileAccessError) {
            _ = try AtomicOutput(path: URL(fileURLWithPath: folder).appendingPathComponent(".pedigree-write-probe").path)
        } catch {
            throw .cannotWrite(path: folder, reason: "the report folder does not accept new files")
        }
    }

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
