import Foundation
import PedigreeReports
import PedigreeTestSupport
import Testing

/// Parses YAML with PyYAML from the oracle environment (the test target does not link
/// Yams), returning the document as JSON-compatible values.
enum YAMLCheck {
    static func parse(_ yaml: String) throws -> Any? {
        let script = "import yaml,sys,json; print(json.dumps(yaml.safe_load(sys.stdin)))"
        let result = try runPython(script: script, stdin: Data(yaml.utf8))
        try #require(result.status == 0, "PyYAML rejected the YAML: \(result.stderr)\n\(yaml)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }
}

@Suite("Model-card YAML", .pythonOracle)
struct ModelCardYAMLTests {
    @Test func mergeFixtureParsesToTheFragment() throws {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let parsed = try #require(try YAMLCheck.parse(ModelCardFragmentRenderer().render(report)) as? [String: Any])
        #expect(parsed["license"] as? String == "other")
        #expect(parsed["license_name"] as? String == "fair-ai-public-license-1.0-sd")
        #expect(parsed["license_link"] as? String == report.modelCard.licenseLink)
        #expect(report.modelCard.licenseLink?.hasPrefix("https://") == true)
        #expect(parsed["base_model"] as? [String] == report.modelCard.baseModel)
        #expect(parsed["base_model_relation"] as? String == "merge")
    }

    @Test func frontMatterInTheMarkdownParsesToo() throws {
        let markdown = MarkdownRenderer().render(Fixtures.cleanIllustriousFinetune)
        let parts = markdown.components(separatedBy: "---\n")
        try #require(parts.count >= 3)
        let parsed = try #require(try YAMLCheck.parse(parts[1]) as? [String: Any])
        #expect(parsed["base_model_relation"] as? String == "finetune")
    }

    @Test func emptyFragmentIsStillValidYAML() throws {
        let parsed = try YAMLCheck.parse(ModelCardFragmentRenderer().render(Fixtures.unknownLineage))
        #expect(parsed == nil || parsed is NSNull)
    }
}
