import Foundation
import PedigreeLineage
import PedigreeReports
import PedigreeTestSupport
import Testing

/// The rendered reports for each fixture (real audits: see `Fixtures`), compared byte for
/// byte with the committed files in `__Snapshots__`. `RECORD_SNAPSHOTS=1 swift test --filter
/// "Report snapshots"` rewrites them and fails, so the rewrite is reviewed before it passes.
@Suite("Report snapshots")
struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    static let fixtureNames = Fixtures.all.map(\.name)

    static func fixture(_ name: String) throws -> AuditReport {
        try #require(Fixtures.all.first { $0.name == name }?.report)
    }

    static func check(_ text: String, _ file: String) {
        let problem = Snapshot.mismatch(text, named: file, in: directory)
        #expect(problem == nil, "\(problem ?? "")")
    }

    @Test(arguments: fixtureNames)
    func markdown(_ name: String) throws {
        Self.check(MarkdownRenderer().render(try Self.fixture(name)), "\(name).md")
    }

    @Test(arguments: fixtureNames)
    func modelCardYAML(_ name: String) throws {
        Self.check(ModelCardFragmentRenderer().render(try Self.fixture(name)), "\(name).model-card.yaml")
    }

    @Test(arguments: fixtureNames)
    func plainText(_ name: String) throws {
        Self.check(AuditTextRenderer(colored: false).render(try Self.fixture(name)), "\(name).txt")
    }

    @Test(arguments: fixtureNames)
    func html(_ name: String) throws {
        Self.check(HTMLRenderer().render(try Self.fixture(name)), "\(name).html")
    }

    /// What each case must say whatever else changes: the verdict and its banner agree, and
    /// a lineage nobody can explain is a fail (exit 1 at the command line), never a pass.
    @Test func verdictsAreTheProducts() throws {
        let merge = Fixtures.noobMergeSoldAsIllustrious, clean = Fixtures.cleanIllustriousFinetune, unknown = Fixtures.unknownLineage
        #expect(merge.outcome.verdict == .fail && merge.outcome.headline.hasPrefix("FAIL: "))
        #expect(merge.inheritsFrom.contains("noobai-xl-eps-1.0"))
        #expect(clean.outcome.verdict == .pass && clean.outcome.headline.hasPrefix("PASS: "), "\(clean.outcome)")
        #expect(clean.mode == .sampled)
        #expect(unknown.outcome.verdict == .fail && unknown.lineage.status == .unknown)
        #expect(unknown.outcome.headline.hasPrefix("FAIL: lineage unknown"))
        #expect(unknown.findings.map(\.code).contains(.lineageUnknown))
        let text = AuditTextRenderer(colored: false).render(unknown)
        #expect(text.contains("✗ FAIL: lineage unknown"))
        #expect(!text.contains("PASS"))
    }

    @Test(arguments: fixtureNames)
    func json(_ name: String) throws {
        Self.check(JSONReportRenderer().render(try Self.fixture(name)), "\(name).json")
    }

    @Test func coloredTextUsesANSIOnlyWhenAsked() throws {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let colored = AuditTextRenderer(colored: true).render(report)
        Self.check(colored, "noob-merge.colored.txt")
        #expect(colored.contains("\u{1B}["))
        #expect(!AuditTextRenderer(colored: false).render(report).contains("\u{1B}"))
    }

    @Test func snapshotHelperReportsTheFirstDifference() {
        let diff = Snapshot.diff(expected: "a\nb\nc\n", actual: "a\nB\nc\n")
        #expect(diff.contains("@@ line 2 @@"))
        #expect(diff.contains("- b"))
        #expect(diff.contains("+ B"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-snap-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        #expect(Snapshot.mismatch("x", named: "missing.txt", in: scratch, record: false)?.contains("RECORD_SNAPSHOTS=1") == true)
        #expect(Snapshot.mismatch("x\n", named: "s.txt", in: scratch, record: true)?.contains("recorded snapshot") == true,
                "recording fails the test, so a re-record never passes by itself")
        #expect(Snapshot.mismatch("x\n", named: "s.txt", in: scratch, record: false) == nil)
        #expect(Snapshot.mismatch("y\n", named: "s.txt", in: scratch, record: false) != nil)
    }
}
