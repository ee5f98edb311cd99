import Foundation
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeTestSupport
import Testing

/// `--format cyclonedx`: valid CycloneDX 1.6 by the reference library's strict validator,
/// with the fields the issue names where they belong.
@Suite("CycloneDX ML-BOM")
struct CycloneDXTests {
    static let policies = try? PolicyLoader.locateAndLoad(explicit: packageRoot().appendingPathComponent("Policies").path)

    func bom(_ report: AuditReport, policies: PolicySet? = CycloneDXTests.policies) throws -> (text: String, json: [String: Any]) {
        let text = CycloneDXRenderer(policies: policies).render(try AuditDocument(report: report))
        return (text, try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
    }

    /// The independent oracle: cyclonedx-python-lib's JsonStrictValidator for schema 1.6.
    @Test(.pythonOracle) func everyFixtureValidatesAgainstTheStrict16Schema() throws {
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        for (index, report) in (Fixtures.all.map(\.report) + [Fixtures.hostile]).enumerated() {
            for policies in [Self.policies, nil] {
                let path = dir.file("bom-\(index)-\(policies == nil ? "bare" : "policies").json")
                try Data(try bom(report, policies: policies).text.utf8).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
        }
        let result = try runPython(script: """
            import sys
            from cyclonedx.schema import SchemaVersion
            from cyclonedx.validation.json import JsonStrictValidator
            validator = JsonStrictValidator(SchemaVersion.V1_6)
            bad = 0
            for path in sys.argv[1:]:
                error = validator.validate_str(open(path).read())
                if error is not None:
                    bad += 1
                    print(path, str(error).splitlines()[0])
            print("invalid:", bad)
            """, arguments: paths)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("invalid: 0"), "\(result.stdout)")
    }

    @Test func theModelComponentCarriesTypeHashAndLicencesWithAcknowledgement() throws {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let json = try bom(report).json
        #expect(json["specVersion"] as? String == "1.6")
        let component = try #require((json["metadata"] as? [String: Any])?["component"] as? [String: Any])
        #expect(component["type"] as? String == "machine-learning-model")
        let hashes = try #require(component["hashes"] as? [[String: String]])
        #expect(hashes == [["alg": "SHA-256", "content": try #require(report.candidate.sha256)]])
        let licences = try #require(component["licenses"] as? [[String: Any]]).compactMap { $0["license"] as? [String: Any] }
        let concluded = licences.filter { $0["acknowledgement"] as? String == "concluded" }
        let declared = licences.filter { $0["acknowledgement"] as? String == "declared" }
        let ids = { (entries: [[String: Any]]) in entries.compactMap { (($0["properties"] as? [[String: String]])?.first)?["value"] } }
        var inherited: [String] = []
        for id in report.inheritance.compactMap(\.licence) where !inherited.contains(id) { inherited.append(id) }
        #expect(ids(concluded) == inherited)
        #expect(ids(declared) == [try #require(report.release?.licence)])
    }

    @Test func ancestorsAreTheInheritedModelsWithPolicyHashes() throws {
        let report = Fixtures.noobMergeSoldAsIllustrious
        let json = try bom(report).json
        let component = try #require((json["metadata"] as? [String: Any])?["component"] as? [String: Any])
        let ancestors = try #require((component["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
        let refs = ancestors.compactMap { $0["bom-ref"] as? String }
        for id in report.inheritsFrom { #expect(refs.contains("model:\(id)")) }
        for id in report.release?.declaredBases ?? [] { #expect(refs.contains("model:\(id)"), "declared base \(id) listed") }
        // SDXL base's published file hash comes from the policies.
        let policies = try #require(Self.policies)
        let sdxl = try #require(ancestors.first { $0["bom-ref"] as? String == "model:sdxl-base-1.0" })
        let known = policies.model("sdxl-base-1.0")?.files.compactMap(\.sha256) ?? []
        #expect(!known.isEmpty)
        #expect((sdxl["hashes"] as? [[String: String]])?.map { $0["content"] ?? "" } == known)
    }

    @Test func aCloseReferenceThatIsNotLineageIsAVariant() throws {
        var report = Fixtures.cleanIllustriousFinetune
        // NoobAI close but judged not to be lineage: similarity only.
        guard let index = report.references.firstIndex(where: { !report.inheritsFrom.contains($0.id) }) else {
            Issue.record("fixture has no non-inherited reference"); return
        }
        report.references[index].band = .fair
        let json = try bom(report).json
        let component = try #require((json["metadata"] as? [String: Any])?["component"] as? [String: Any])
        let variants = try #require((component["pedigree"] as? [String: Any])?["variants"] as? [[String: Any]])
        #expect(variants.contains { $0["bom-ref"] as? String == "variant:\(report.references[index].id)" })
        let ancestors = (component["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]] ?? []
        #expect(!ancestors.contains { $0["bom-ref"] as? String == "model:\(report.references[index].id)" })
    }

    @Test func theSameAuditGivesTheSameBytes() throws {
        #expect(try bom(Fixtures.noobMergeSoldAsIllustrious).text == bom(Fixtures.noobMergeSoldAsIllustrious).text)
        #expect(try bom(Fixtures.noobMergeSoldAsIllustrious).text != bom(Fixtures.cleanIllustriousFinetune).text)
    }
}
