import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreeReports
import PedigreeSupport
import Testing

@Suite("Rendering rules")
struct RenderingTests {
    static let renderers: [(String, any ReportRenderer)] = [
        ("text", AuditTextRenderer(colored: true)), ("md", MarkdownRenderer()), ("json", JSONReportRenderer()),
        ("html", HTMLRenderer()), ("yaml", ModelCardFragmentRenderer()),
    ]

    @Test func aFailLeadsWithItsActions() {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let actions = ReportActions(report)
        // Every blocking obligation and every error finding, no more: the counts the banner gives.
        #expect(actions.required.count == report.outcome.unmet + report.outcome.unverifiable + report.findings.filter { $0.severity == .error }.count)
        let markdown = MarkdownRenderer().render(report).split(separator: "\n", omittingEmptySubsequences: false)
        let heading = markdown.firstIndex { $0.hasPrefix("## Actions") }
        #expect(heading != nil && heading! < 40, "Actions at line \(heading.map { $0 + 1 } ?? -1) of the Markdown")
        let html = HTMLRenderer().render(report)
        let actionsAt = html.range(of: "<h2>Actions")?.lowerBound
        let lineageAt = html.range(of: "<h2>Likely lineage")?.lowerBound ?? html.range(of: "Similarity")?.lowerBound
        #expect(actionsAt != nil && lineageAt != nil && actionsAt! < lineageAt!, "Actions come before the evidence in the HTML")
        let clean = Fixtures.cleanIllustriousFinetune
        #expect(ReportActions(clean).required.isEmpty == (clean.outcome.verdict == .pass))
    }

    @Test func renderingTwiceGivesIdenticalBytes() {
        for (_, report) in Fixtures.all + [("hostile", Fixtures.hostile)] {
            for (format, renderer) in Self.renderers {
                let first = renderer.render(report)
                // A fresh copy of the report, so nothing cached between runs can hide a difference.
                let second = renderer.render(report)
                #expect(Data(first.utf8) == Data(second.utf8), "\(format) output is not deterministic")
            }
        }
    }

    @Test func everyAuditReportFormatHasARenderer() {
        for format in ReportFormat.allCases {
            let rendered = format.renderer()?.render(Fixtures.cleanIllustriousFinetune)
            #expect(ReportFormat.auditReport.contains(format) ? rendered?.isEmpty == false : rendered == nil, "\(format)")
        }
    }

    @Test func jsonRoundTripsAndKeepsInheritsFromAtTheTop() throws {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let text = JSONReportRenderer().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["inherits_from"] as? [String] == report.inheritsFrom)
        #expect(object["schema"] as? String == "pedigree.audit/2")
        let decoded = try PedigreeJSON.decoder().decode(AuditReport.self, from: Data(text.utf8))
        #expect(decoded.outcome == report.outcome)
        #expect(decoded.obligations == report.obligations)
        // Shares are rounded to three decimals; cosines keep their precision.
        let share = try #require(report.lineage.shares["noobai-xl-eps-1.0"])
        #expect(share != (share * 1000).rounded() / 1000, "the fixture's share has more than three decimals")
        #expect(decoded.lineage.shares["noobai-xl-eps-1.0"] == (share * 1000).rounded() / 1000)
        #expect(decoded.references[0].meanCosine == report.references[0].meanCosine)
    }

    @Test func numbersFollowTheHouseStyle() {
        let markdown = MarkdownRenderer().render(Fixtures.noobMergeSoldAsIllustrious)
        #expect(markdown.contains("| 0.9865 |"))
        #expect(markdown.contains("60.0% [60.0–60.0%]"))
        var withNaN = Fixtures.unknownLineage
        withNaN.references[0].components[0].meanCosine = .nan
        let unknown = MarkdownRenderer().render(withNaN)
        #expect(unknown.contains("n/a"), "NaN cosines read as n/a")
        #expect(!unknown.lowercased().contains("nan |"))
    }

    @Test func textPutsTheVerdictFirst() throws {
        let text = AuditTextRenderer().render(Fixtures.noobMergeSoldAsIllustrious)
        let lines = text.split(separator: "\n").map(String.init)
        let verdictLine = try #require(lines.firstIndex { $0.hasPrefix("✗ FAIL: ") })
        let referencesLine = try #require(lines.firstIndex { $0.hasPrefix("References") })
        #expect(verdictLine < referencesLine)
        // Problems come first with their reasons; met obligations are summarised after them.
        let unmet = try #require(lines.firstIndex { $0.contains("✗ no-commercial-use") })
        #expect(lines[unmet + 2].contains("→ commercial_use is true, the licence needs false"))
        #expect(text.contains("✗ share-recipe"))
        let met = try #require(lines.firstIndex { $0.contains("✓ met:") })
        #expect(unmet < met)
    }

    @Test func textStripsControlCharactersFromReportStrings() {
        var report = Fixtures.cleanIllustriousFinetune
        report.release?.name = "evil\u{1B}[2Jname"
        let text = AuditTextRenderer(colored: false).render(report)
        #expect(!text.contains("\u{1B}"))
    }

    @Test func markdownStartsWithTheModelCardFrontMatter() {
        let markdown = MarkdownRenderer().render(Fixtures.noobMergeSoldAsIllustrious)
        #expect(markdown.hasPrefix("---\n"))
        let card = ModelCardFragmentRenderer.frontMatter(Fixtures.noobMergeSoldAsIllustrious.modelCard)
        #expect(markdown.hasPrefix(card))
        #expect(!MarkdownRenderer(includeFrontMatter: false).render(Fixtures.noobMergeSoldAsIllustrious).hasPrefix("---"))
    }

    @Test func htmlIsSelfContained() {
        for (_, report) in Fixtures.all {
            let html = HTMLRenderer().render(report)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.contains("<script"))
            #expect(!html.contains("<link"))
            #expect(!html.contains("src=\""))
            #expect(!html.contains("url("))
            #expect(html.contains("<svg"))
            #expect(html.contains(report.disclaimer.replacingOccurrences(of: "'", with: "&#39;")))
        }
    }

    @Test func htmlDrawsTheBandBoundariesFromTheThresholds() {
        var report = Fixtures.noobMergeSoldAsIllustrious
        report.thresholds = BandThresholds(metric: "mean_cosine", tooClose: 0.97, fair: 0.93, largeDifference: 0.88, margin: 0.005)
        let html = HTMLRenderer().render(report)
        func tick(_ label: String) -> String { "text-anchor=\"middle\">\(label)</text>" }
        for label in ["0.9700", "0.9300", "0.8800"] { #expect(html.contains(tick(label)), "axis label \(label)") }
        #expect(!html.contains(tick("0.9800")))
    }

    @Test func fileStemIsSanitised() {
        #expect(ReportFileStem.sanitized("Moonlit Mix/../v2 <b>") == "Moonlit_Mix_.._v2_b")
        #expect(ReportFileStem.sanitized("../../etc/passwd") == "etc_passwd")
        #expect(ReportFileStem.sanitized("...") == "audit")
        #expect(ReportFileStem.stem(for: Fixtures.noobMergeSoldAsIllustrious) == "Sakura_Illustrious_Mix-2.1")
        #expect(ReportFileStem.stem(for: Fixtures.unknownLineage) == "candidate-far-off")
        for character in ReportFileStem.stem(for: Fixtures.hostile) {
            #expect(character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character)))
        }
    }
}
