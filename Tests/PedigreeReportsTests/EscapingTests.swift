import Foundation
import PedigreeLineage
import PedigreeReports
import PedigreeTestSupport
import Testing

/// Strings in a report come from manifests and policies other people wrote. None of them
/// may break a Markdown table, inject HTML, or change the YAML's structure.
@Suite("Escaping")
struct EscapingTests {
    let report = Fixtures.hostile

    @Test func markdownTablesKeepTheirColumns() {
        let markdown = MarkdownRenderer().render(report)
        #expect(!markdown.contains("<script"))
        #expect(!markdown.contains("<img"))
        #expect(!markdown.contains("<svg"))
        #expect(markdown.contains("&lt;script&gt;"))
        // In every table, each row has as many unescaped pipes as its header.
        var expected: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            guard line.hasPrefix("|") else { expected = nil; continue }
            let pipes = Self.unescapedPipes(line)
            if let expected { #expect(pipes == expected, "row breaks its table: \(line)") } else { expected = pipes }
        }
        // The reason's newline must not end the table row.
        #expect(markdown.contains("and a newline"))
        #expect(!markdown.contains("\nand a newline"))
    }

    @Test func markdownProseCannotBecomeAHeading() {
        let markdown = MarkdownRenderer().render(report)
        #expect(!markdown.contains("\n# not a heading"))
        #expect(markdown.contains("\\# not a heading"))
    }

    @Test func htmlEscapesEveryReportString() {
        let html = HTMLRenderer().render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svg onload"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
        #expect(html.contains("&amp;"))
        #expect(html.contains("&#39;quoted&#39;"))
        // Attribute values too: the aria-label of the chart holds a reference name.
        #expect(!html.contains("aria-label=\"Mean cosine per reference: Noob | <"))
    }

    @Test(.pythonOracle) func yamlQuotesHostileValues() throws {
        let yaml = ModelCardFragmentRenderer().render(report)
        let parsed = try #require(try YAMLCheck.parse(yaml) as? [String: Any])
        #expect(parsed["license_name"] as? String == report.modelCard.licenseName)
        #expect(parsed["base_model"] as? [String] == report.modelCard.baseModel, "yes and 1.0 stay strings")
        #expect(parsed["license"] as? String == "other")
        #expect(Set(parsed.keys) == ["license", "license_name", "license_link", "base_model", "base_model_relation"])
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true } else if character == "|" { count += 1 }
        }
        return count
    }
}
