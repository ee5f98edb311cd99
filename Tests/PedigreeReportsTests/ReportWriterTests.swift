import Foundation
import PedigreeReports
import PedigreeSupport
import Testing

@Suite("Report writer")
struct ReportWriterTests {
    static func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-reports-\(UUID().uuidString)")
    }

    @Test func writesFourFilesAtomicallyAndLeavesNoTemporaries() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = Fixtures.noobMergeSoldAsIllustrious
        let written = try ReportWriter(folder: folder.appendingPathComponent("Reports").path).write(report)

        #expect(written.all.map { URL(fileURLWithPath: $0).lastPathComponent } ==
            ["Sakura_Illustrious_Mix-2.1.md", "Sakura_Illustrious_Mix-2.1.json", "Sakura_Illustrious_Mix-2.1.html", "Sakura_Illustrious_Mix-2.1.model-card.yaml"])
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("Reports").path).sorted()
        #expect(listing == ["Sakura_Illustrious_Mix-2.1.html", "Sakura_Illustrious_Mix-2.1.json", "Sakura_Illustrious_Mix-2.1.md", "Sakura_Illustrious_Mix-2.1.model-card.yaml"],
                "only the reports, no temporary files: \(listing)")
        #expect(try String(contentsOfFile: written.markdown, encoding: .utf8) == MarkdownRenderer().render(report))
        #expect(try String(contentsOfFile: written.json, encoding: .utf8) == JSONReportRenderer().render(report))
        #expect(try String(contentsOfFile: written.html, encoding: .utf8) == HTMLRenderer().render(report))
        #expect(try String(contentsOfFile: written.modelCard, encoding: .utf8) == ModelCardFragmentRenderer().render(report))
    }

    @Test func rewritingReplacesTheFilesInPlace() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = ReportWriter(folder: folder.path)
        _ = try writer.write(Fixtures.cleanIllustriousFinetune)
        var changed = Fixtures.cleanIllustriousFinetune
        changed.outcome.summary = "second run"
        let written = try writer.write(changed)
        #expect(try String(contentsOfFile: written.markdown, encoding: .utf8).contains("second run"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 4)
    }

    @Test func usesTheCandidateFileNameWithoutAManifest() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try ReportWriter(folder: folder.path).write(Fixtures.unknownLineage)
        #expect(URL(fileURLWithPath: written.json).lastPathComponent == "candidate-far-off.json")
    }

    @Test func failsCleanlyWhenTheFolderCannotBeCreated() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect(throws: FileAccessError.self) {
            _ = try ReportWriter(folder: blocker.appendingPathComponent("Reports").path).write(Fixtures.unknownLineage)
        }
    }

    @Test func defaultFolderIsReports() {
        #expect(ReportWriter().folder == "Reports")
    }
}
