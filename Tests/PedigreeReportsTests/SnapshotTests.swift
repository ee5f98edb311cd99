import Foundation
import PedigreeLineage
import PedigreeReports
import PedigreeTestSupport
import Testing

/// The rendered reports for each fixture, compared byte for byte with the committed files
/// in `__Snapshots__` (`RECORD_SNAPSHOTS=1 swift test --filter PedigreeReportsTests` rewrites them).
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
        #expect(Snapshot.mismatch("x\n", named: "s.txt", in: scratch, record: true) == nil)
        #expect(Snapshot.mismatch("x\n", named: "s.txt", in: scratch, record: false) == nil)
        #expect(Snapshot.mismatch("y\n", named: "s.txt", in: scratch, record: false) != nil)
    }
}
