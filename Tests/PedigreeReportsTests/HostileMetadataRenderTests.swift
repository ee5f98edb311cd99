import Foundation
import PedigreeCompute
import PedigreeLineage
@testable import PedigreeReports
import PropertyBased
import Testing

/// One test per renderer fed strings a checkpoint's metadata or a stranger's manifest can
/// carry: terminal escapes (ESC, CSI, OSC), CR, NUL, C1 controls, bidi overrides and
/// markup. Text output shows them escaped; Markdown, HTML and YAML keep them inert.
@Suite("Hostile metadata in every renderer")
struct HostileMetadataRenderTests {
    static let nasty = "x\u{1B}[2J\u{1B}]0;owned\u{07}\r\u{0}\u{9B}31m\u{202E}<script>alert(1)</script>|#*_`"

    static var report: AuditReport {
        var report = Fixtures.hostile
        report.candidate.path = "/models/" + nasty + ".safetensors"
        report.release?.name = nasty
        report.lineage.summary = nasty
        report.obligations[0].reason = nasty
        report.findings[0].message = nasty
        report.references[0].name = nasty
        report.modelCard.licenseName = nasty
        return report
    }

    /// Raw control characters, except the renderer's own newlines and tabs.
    static func rawControls(_ text: String, allowingANSI: Bool = false) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { v in
            v != 0x0A && v != 0x09 && !(allowingANSI && v == 0x1B) && (v < 0x20 || (0x7F ... 0x9F).contains(v) || (0x202A ... 0x202E).contains(v))
        }
    }

    @Test func auditText() {
        for colored in [false, true] {
            let text = AuditTextRenderer(colored: colored).render(Self.report)
            #expect(Self.rawControls(text, allowingANSI: colored).isEmpty, "colored: \(colored)")
            #expect(text.contains(#"\e[2J\e]0;owned\x07\r\0"#))
            // With colour on, the only ESC sequences are the renderer's own SGR codes.
            let escapes = text.components(separatedBy: "\u{1B}").dropFirst()
            #expect(escapes.allSatisfy { $0.range(of: #"^\[[0-9;]*m"#, options: .regularExpression) != nil })
        }
    }

    @Test func compareText() {
        let result = CompareResult.headline(candidate: Self.nasty, references: [(Self.nasty, 0.9), ("ok", 0.5)],
                                            baselines: [Baseline(a: Self.nasty, b: "ok", meanCosine: 0.7)])
        for grain in CompareTextRenderer.Grain.allCases {
            let text = CompareTextRenderer.render(result, grain: grain)
            #expect(Self.rawControls(text).isEmpty, "\(grain)")
            #expect(text.contains(#"\e[2J"#))
        }
    }

    @Test func markdown() {
        let markdown = MarkdownRenderer().render(Self.report)
        #expect(Self.rawControls(markdown).isEmpty)
        #expect(!markdown.contains("<script"))
    }

    @Test func html() {
        let html = HTMLRenderer().render(Self.report)
        #expect(Self.rawControls(html).isEmpty)
        #expect(!html.contains("<script>alert"))
    }

    @Test func json() throws {
        let json = JSONReportRenderer().render(Self.report)
        #expect(Self.rawControls(json).isEmpty, "JSON escapes control characters")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((decoded?["lineage"] as? [String: Any])?["summary"] as? String == Self.nasty, "and keeps them exactly")
    }

    @Test func modelCardYAML() throws {
        let yaml = ModelCardFragmentRenderer().render(Self.report)
        #expect(Self.rawControls(yaml).isEmpty)
        let parsed = try #require(try YAMLCheck.parse(yaml) as? [String: Any])
        #expect(parsed["license_name"] as? String == Self.nasty, "YAML escapes, never loses")
    }

    // MARK: properties of the escapers

    static let scalar = Gen.oneOf(
        Gen.unicodeScalar(in: "\u{0}" ... "\u{7F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{80}" ... "\u{36F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{2000}" ... "\u{206F}").eraseToAnySequence())
    static let text = scalar.array(of: 0 ... 30).map { String(String.UnicodeScalarView($0)) }

    @Test func htmlEscapingNeverLeavesMarkupOrControls() async {
        await propertyCheck(count: 1000, input: Self.text) { text in
            let out = HTMLEscaping.escape(text)
            #expect(!out.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) }, "raw markup in \(out.debugDescription)")
            #expect(Self.rawControls(out).isEmpty)
            // Every & starts an entity this escaper wrote.
            for range in out.ranges(of: "&") {
                let rest = out[range.lowerBound...]
                #expect(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains { rest.utf8.starts(with: $0.utf8) })
            }
        }
    }

    @Test func markdownEscapingNeverLeavesMarkupControlsOrLineBreaks() async {
        await propertyCheck(count: 1000, input: Self.text) { text in
            let out = MarkdownEscaping.inline(text)
            #expect(!out.unicodeScalars.contains { "<>\"\n\r".unicodeScalars.contains($0) }, "\(out.debugDescription)")
            #expect(Self.rawControls(out).isEmpty)
            #expect(HostileMetadataRenderTests.unescapedPipes(out) == 0, "a raw pipe would split a table row: \(out.debugDescription)")
        }
    }

    static func unescapedPipes(_ text: String) -> Int {
        var count = 0, escaped = false
        for scalar in text.unicodeScalars {
            if escaped { escaped = false; continue }
            if scalar == "\\" { escaped = true } else if scalar == "|" { count += 1 }
        }
        return count
    }
}
