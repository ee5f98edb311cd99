import Foundation
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeTestSupport
import Testing

/// `pedigree card`'s merge: other keys and the body byte for byte, idempotent, and a card
/// `huggingface_hub` reads with the computed values.
@Suite("Model card merge")
struct CardMergeTests {
    static let audit = try! AuditDocument(report: Fixtures.noobMergeSoldAsIllustrious)
    static let policies = try? PolicyLoader.locateAndLoad(explicit: packageRoot().appendingPathComponent("Policies").path)

    func merge(_ text: String, audit: AuditDocument = Self.audit) throws -> String {
        String(decoding: try CardMerger(policies: Self.policies).merge(Data(text.utf8), path: "README.md", audit: audit), as: UTF8.self)
    }

    /// A card with awkward but valid YAML around the keys Pedigree owns.
    static let awkward = """
    ---
    # a comment the author wrote
    language:
      - en   # trailing comment
      - ja
    license: mit
    pipeline_tag: text-to-image
    widget:
    - text: "1girl, solo"
      output:
        url: images/a.png
    tags: [anime, "pedigree-old", sdxl]
    description: |
      Line one: with a colon.
        indented line

    # comment before the last key
    inference: true
    ---
    # My model

    Body text with --- inside and `code`.
    """

    @Test func otherKeysAndBodyAreKeptByteForByte() throws {
        let out = try merge(Self.awkward)
        for kept in ["# a comment the author wrote\nlanguage:\n  - en   # trailing comment\n  - ja\n",
                     "pipeline_tag: text-to-image\nwidget:\n- text: \"1girl, solo\"\n  output:\n    url: images/a.png\n",
                     "description: |\n  Line one: with a colon.\n    indented line\n\n# comment before the last key\ninference: true\n",
                     "---\n# My model\n\nBody text with --- inside and `code`.\n"] {
            #expect(out.contains(kept), "kept: \(kept)")
        }
        #expect(!out.contains("license: mit"))
        #expect(out.contains("license: \"other\"\n"))
        #expect(out.contains("tags:\n- \"anime\"\n- \"sdxl\"\n- \"pedigree-audited\"\n- \"pedigree-fail\"\n- \"merge\"\n"), "stale pedigree- tags replaced, others kept")
        #expect(out.contains(LineageSectionMarkers.begin) && out.contains(LineageSectionMarkers.end))
    }

    @Test func runningTwiceChangesNothing() throws {
        for card in [Self.awkward, "# No front matter\n\nJust a body.", "", "---\n---\n", "---\r\nlicense: mit\r\n---\r\nCRLF body\r\n"] {
            let once = try merge(card)
            let twice = try merge(once)
            #expect(once == twice, "idempotent for \(card.debugDescription)")
        }
    }

    @Test func aCardWithoutFrontMatterGetsOneAndKeepsItsBody() throws {
        let body = "# Title\n\nText.\n"
        let out = try merge(body)
        #expect(out.hasPrefix("---\nlicense: \"other\"\n"))
        #expect(out.contains("---\n" + body))
    }

    @Test func crlfCardsStayCRLF() throws {
        let out = try merge("---\r\nlicense: mit\r\nlanguage: en\r\n---\r\nBody\r\n")
        #expect(out.contains("language: en\r\n"))
        #expect(out.contains("license: \"other\"\r\n"))
        #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF added")
    }

    @Test func aLicenceOtherThanOtherDropsAStaleNameAndLink() throws {
        var report = Fixtures.noobMergeSoldAsIllustrious
        report.modelCard = ModelCardFragment(license: "openrail++", licenseName: nil, licenseLink: nil, baseModel: ["stabilityai/stable-diffusion-xl-base-1.0"], baseModelRelation: "finetune")
        let out = try merge("---\nlicense: other\nlicense_name: old-licence\nlicense_link: https://old\nkeep: 1\n---\n", audit: try AuditDocument(report: report))
        #expect(!out.contains("license_name") && !out.contains("license_link"))
        #expect(out.contains("keep: 1\n"))
    }

    @Test func theSectionIsReplacedBetweenItsMarkersOnly() throws {
        let card = "---\nlicense: mit\n---\nIntro\n\n\(LineageSectionMarkers.begin)\nold text\n\(LineageSectionMarkers.end)\n\nOutro\n"
        let out = try merge(card)
        #expect(!out.contains("old text"))
        #expect(out.contains("---\nIntro\n\n\(LineageSectionMarkers.begin)\n## Licence and lineage"))
        #expect(out.hasSuffix("\(LineageSectionMarkers.end)\n\nOutro\n"))
    }

    @Test func hostileValuesStayInert() throws {
        let out = try merge("# card\n", audit: try AuditDocument(report: Fixtures.hostile))
        let section = out[out.range(of: LineageSectionMarkers.begin)!.lowerBound...]
        #expect(!section.contains("<script>") && !section.contains("<img"))
        #expect(section.components(separatedBy: LineageSectionMarkers.end).count == 2, "one end marker")
    }

    @Test(arguments: [
        ("---\nlicense: mit\n", "MC003"),
        ("---\nlicense: [unclosed\n---\n", "MC004"),
        ("---\n- a\n- b\n---\n", "MC005"),
        ("---\n{license: mit, a: b}\n---\n", "MC006"),
        ("---\ntags: {a: 1}\n---\n", "MC007"),
        ("---\nlicense: mit\nlicense: apache-2.0\n---\n", "MC004"),
        ("x\n<!-- pedigree:lineage:begin -->\nno end\n", "MC008"),
        ("x\n<!-- pedigree:lineage:end -->\n<!-- pedigree:lineage:begin -->\n", "MC008"),
    ])
    func unsafeCardsAreRefusedWithACode(card: String, code: String) {
        #expect {
            _ = try merge(card)
        } throws: { error in
            (error as? CardError)?.code == code
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: CardError.notUTF8(path: "README.md")) {
            _ = try CardMerger(policies: nil).merge(Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0x0A]), path: "README.md", audit: Self.audit)
        }
    }

    /// The independent oracle: `huggingface_hub`'s own parser reads the merged card.
    @Test(.pythonOracle) func huggingFaceHubReadsTheMergedCard() throws {
        let dir = try TemporaryDirectory()
        for (name, card) in [("awkward", Self.awkward), ("bare", "Just text.\n"), ("crlf", "---\r\nlanguage: en\r\n---\r\nBody\r\n")] {
            let path = dir.file("\(name).md")
            try Data(try merge(card).utf8).write(to: URL(fileURLWithPath: path))
            let result = try runPython(script: """
                import json, sys
                from huggingface_hub import ModelCard
                card = ModelCard.load(sys.argv[1])
                data = card.data.to_dict()
                print(json.dumps({k: data.get(k) for k in ["license", "license_name", "license_link", "base_model", "base_model_relation", "tags", "language", "inference"]}))
                """, arguments: [path])
            #expect(result.status == 0, "\(result.stderr)")
            let data = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let card = Fixtures.noobMergeSoldAsIllustrious.modelCard
            #expect(data["license"] as? String == card.license)
            #expect(data["license_name"] as? String == card.licenseName)
            #expect(data["license_link"] as? String == card.licenseLink)
            #expect(data["base_model"] as? [String] == card.baseModel)
            #expect(data["base_model_relation"] as? String == card.baseModelRelation)
            #expect((data["tags"] as? [String])?.contains("pedigree-audited") == true)
            if name == "awkward" {
                #expect(data["language"] as? [String] == ["en", "ja"])
                #expect(data["inference"] as? Bool == true)
            }
        }
    }

    /// YAML-hostile values (colons, quotes, leading dashes, YAML 1.1 booleans) read back as
    /// the same strings.
    @Test(.pythonOracle) func hostileValuesReadBackExactlyInHuggingFaceHub() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("README.md")
        try Data(try merge("---\nlanguage: en\n---\n", audit: try AuditDocument(report: Fixtures.hostile)).utf8).write(to: URL(fileURLWithPath: path))
        let result = try runPython(script: """
            import json, sys
            from huggingface_hub import ModelCard
            d = ModelCard.load(sys.argv[1]).data.to_dict()
            print(json.dumps([d.get("license_name"), d.get("base_model")]))
            """, arguments: [path])
        #expect(result.status == 0, "\(result.stderr)")
        let values = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])
        #expect(values[0] as? String == Fixtures.hostile.modelCard.licenseName)
        #expect(values[1] as? [String] == Fixtures.hostile.modelCard.baseModel)
    }
}

/// The markers, spelled out here so a change to them is a deliberate, visible one.
enum LineageSectionMarkers {
    static let begin = "<!-- pedigree:lineage:begin -->"
    static let end = "<!-- pedigree:lineage:end -->"
}
