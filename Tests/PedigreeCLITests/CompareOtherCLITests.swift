import Foundation
import PedigreeTestSupport
import Testing

/// Issue 33: `compare --other LABEL=PATH`, references outside the policies, labelled by the
/// user: measured exactly as `--ref` measures, marked "not in the policies", and a label
/// that is (or nearly is) a policy model's id refused with the did-you-mean.
@Suite(.serialized)
struct CompareOtherCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]
    static let family = DemoFamilyFixture.make(references + ["candidate-noob-merge"])

    var dir: TemporaryDirectory { Self.family }
    func model(_ id: String) -> String { dir.file("\(id).safetensors") }

    func compare(_ arguments: [String]) throws -> (status: Int32, json: [String: Any], stderr: String) {
        let result = runPedigree(["compare"] + arguments + ["--format", "json"], environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        try #require(result.status == 0, "exit \(result.status): \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return (result.status, json, result.stderr)
    }

    func references(_ json: [String: Any]) throws -> [[String: Any]] { try #require(json["references"] as? [[String: Any]]) }

    @Test func twoCandidatesSideBySideWithOnlyOther() throws {
        let other = try compare([model("candidate-noob-merge"), "--other", "mine=\(model("noobai-xl-eps-1.0"))", "--by", "block"])
        let asRef = try compare([model("candidate-noob-merge"), "--ref", "noobai-xl-eps-1.0=\(model("noobai-xl-eps-1.0"))", "--by", "block"])
        let otherRefs = try references(other.json)
        let refRefs = try references(asRef.json)
        try #require(otherRefs.count == 1 && refRefs.count == 1)
        #expect(otherRefs[0]["id"] as? String == "mine")
        #expect(otherRefs[0]["not_in_policies"] as? Bool == true)
        #expect(refRefs[0]["not_in_policies"] == nil, "policy models carry no such mark")
        // The same measures, to the last bit: per reference, component and block.
        for key in ["mean_cosine", "parameter_weighted_cosine", "flat_cosine", "relative_l2"] {
            #expect(otherRefs[0][key] as? Double == refRefs[0][key] as? Double, "\(key)")
        }
        let otherBlocks = try #require(otherRefs[0]["blocks"] as? [[String: Any]])
        let refBlocks = try #require(refRefs[0]["blocks"] as? [[String: Any]])
        #expect(otherBlocks.count == refBlocks.count && !otherBlocks.isEmpty)
        for (a, b) in zip(otherBlocks, refBlocks) { #expect(a["mean_cosine"] as? Double == b["mean_cosine"] as? Double) }
        #expect((otherRefs[0]["components"] as? [[String: Any]])?.count == (refRefs[0]["components"] as? [[String: Any]])?.count)

        let text = runPedigree(["compare", model("candidate-noob-merge"), "--other", "mine=\(model("noobai-xl-eps-1.0"))"],
                               environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("mine (not in the policies)"), "\(text.stdout)")
    }

    @Test(.heavy) func edgeAttributionBetweenTwoOthersEqualsTheSameWithPolicyModels() throws {
        let candidate = model("candidate-noob-merge")
        let asOthers = try compare([candidate, "--ref", "sdxl-base-1.0=\(model("sdxl-base-1.0"))",
                                    "--other", "old=\(model("illustrious-xl-v0.1"))", "--other", "new=\(model("noobai-xl-eps-1.0"))",
                                    "--edge", "sdxl-base-1.0:old", "--edge", "old:new"])
        let asPolicy = try compare([candidate] + Self.references.flatMap { ["--ref", "\($0)=\(model($0))"] }
                                   + ["--edge", "sdxl-base-1.0:illustrious-xl-v0.1", "--edge", "illustrious-xl-v0.1:noobai-xl-eps-1.0"])
        let rename = ["old": "illustrious-xl-v0.1", "new": "noobai-xl-eps-1.0"]
        let otherAttribution = try #require(asOthers.json["attribution"] as? [String: Any], "\(asOthers.stderr)")
        let policyAttribution = try #require(asPolicy.json["attribution"] as? [String: Any])
        let otherShares = try #require(otherAttribution["references"] as? [[String: Any]])
        let policyShares = try #require(policyAttribution["references"] as? [[String: Any]])
        try #require(otherShares.count == policyShares.count && !otherShares.isEmpty)
        for entry in otherShares {
            let id = try #require(entry["id"] as? String)
            let match = try #require(policyShares.first { $0["id"] as? String == (rename[id] ?? id) }, "\(id)")
            #expect(entry["share"] as? Double == match["share"] as? Double, "\(id)")
        }
        // Delta measures along the edge named by labels equal the policy ids' ones.
        let otherNew = try #require(try references(asOthers.json).first { $0["id"] as? String == "new" })
        let policyNoob = try #require(try references(asPolicy.json).first { $0["id"] as? String == "noobai-xl-eps-1.0" })
        let otherDelta = try #require((otherNew["deltas"] as? [[String: Any]])?.first)
        let policyDelta = try #require((policyNoob["deltas"] as? [[String: Any]])?.first)
        #expect(otherDelta["share"] as? Double == policyDelta["share"] as? Double)
        #expect(otherDelta["ancestor"] as? String == "old")
    }

    @Test func aLabelThatIsOrResemblesAPolicyIdIsRefused() throws {
        let candidate = model("candidate-noob-merge")
        let near = runPedigree(["compare", candidate, "--other", "noobai-xl-eps-1.O=\(model("noobai-xl-eps-1.0"))"],
                               environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(near.status == 2)
        #expect(near.stderr.contains("[RF005]") && near.stderr.contains("did you mean --ref noobai-xl-eps-1.0=PATH"), "\(near.stderr)")
        #expect(near.stderr.split(separator: "\n").count == 1, "one line: \(near.stderr)")
        let exact = runPedigree(["compare", candidate, "--other", "sdxl-base-1.0=\(model("sdxl-base-1.0"))"],
                                environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(exact.status == 2)
        #expect(exact.stderr.contains("[RF005]") && exact.stderr.contains("--ref sdxl-base-1.0=PATH"), "\(exact.stderr)")
        // --ref keeps its strict ids.
        let strict = runPedigree(["compare", candidate, "--ref", "v1=\(model("sdxl-base-1.0"))"], environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(strict.status == 2 && strict.stderr.contains("[RF002]"), "\(strict.stderr)")
    }

    /// The article's metric through `--other` alone agrees with PyTorch's seed method as
    /// `--ref` does (the files and the oracle of `TorchOracleTests`).
    @Test(.pythonOracle) func otherOnlyAgreesWithPyTorchTo1e5() throws {
        let files = try TemporaryDirectory()
        let made = try runPython(script: TorchOracleScripts.makeFiles, arguments: [files.path])
        try #require(made.status == 0, "python fixture script failed: \(made.stderr)")
        let paths = ["candidate", "ref-a", "ref-b"].map { files.file("\($0).safetensors") }
        let expected = try runPython(script: TorchOracleScripts.oracle, arguments: paths)
        try #require(expected.status == 0, "torch oracle failed: \(expected.stderr)")
        let oracle = try #require(try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any])
        let refs = try #require(oracle["refs"] as? [[Any]])
        let baseline = try #require(oracle["baseline"] as? [Any])
        let result = try compare([paths[0], "--other", "oracle-a=\(paths[1])", "--other", "oracle-b=\(paths[2])", "--no-attribution"])
        let figures = try references(result.json)
        for (index, reference) in figures.enumerated() {
            let torchMean = try #require(refs[index][0] as? Double)
            let mean = try #require(reference["mean_cosine"] as? Double)
            #expect(abs(mean - torchMean) < 1e-5, "\(reference["id"] ?? ""): pedigree \(mean) vs torch \(torchMean)")
        }
        let baselines = try #require(result.json["baselines"] as? [[String: Any]])
        let torchBaseline = try #require(baseline[0] as? Double)
        #expect(abs((baselines.first?["mean_cosine"] as? Double ?? .nan) - torchBaseline) < 1e-5)
    }
}

/// `audit` and `classify` with references outside the policies: compared, reported under
/// their labels, no part in the verdict.
@Suite(.serialized)
struct AuditOtherCLITests {
    var dir: TemporaryDirectory { CompareOtherCLITests.family }
    func model(_ id: String) -> String { dir.file("\(id).safetensors") }
    var refs: [String] { CompareOtherCLITests.references.flatMap { ["--ref", "\($0)=\(model($0))"] } }

    func auditJSON(_ extra: [String]) throws -> (status: Int32, json: [String: Any]) {
        let result = runPedigree(["audit", model("candidate-noob-merge"), "--no-reports", "--format", "json"] + refs + extra,
                                 environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "exit \(result.status): \(result.stderr)")
        return (result.status, json)
    }

    @Test(.heavy) func anAuditWithAnOtherReferenceKeepsItsVerdictAndSaysSo() throws {
        let plain = try auditJSON([])
        let withOther = try auditJSON(["--other", "v1=\(model("illustrious-xl-v0.1"))"])
        #expect(plain.status == withOther.status)
        #expect((plain.json["outcome"] as? [String: Any])?["verdict"] as? String == (withOther.json["outcome"] as? [String: Any])?["verdict"] as? String)
        #expect(plain.json["inherits_from"] as? [String] == withOther.json["inherits_from"] as? [String])
        #expect((plain.json["references"] as? [Any])?.count == (withOther.json["references"] as? [Any])?.count, "the policy references alone are judged")
        let outside = try #require(withOther.json["compared_outside_policies"] as? [[String: Any]])
        #expect(outside.first?["id"] as? String == "v1")
        #expect(outside.first?["not_in_policies"] as? Bool == true)
        #expect(plain.json["compared_outside_policies"] == nil)
        let text = runPedigree(["audit", model("candidate-noob-merge"), "--no-reports"] + refs + ["--other", "v1=\(model("illustrious-xl-v0.1"))"],
                               environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(text.stdout.contains("Also compared, not in the policies: v1") && text.stdout.contains("played no part in the licence verdict"), "\(text.stdout)")
        for format in ["md", "html"] {
            let rendered = runPedigree(["audit", model("candidate-noob-merge"), "--no-reports", "--format", format] + refs + ["--other", "v1=\(model("illustrious-xl-v0.1"))"],
                                       environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
            #expect(rendered.stdout.contains("not in the policies") && rendered.stdout.contains("played no part in the licence verdict"), "\(format)")
        }
    }

    @Test func classifyJudgesWithoutTheOtherReferencesAndSaysSo() throws {
        let out = dir.file("with-other-\(UUID().uuidString.prefix(6)).json")
        let compared = runPedigree(["compare", model("candidate-noob-merge"), "-o", out] + refs + ["--other", "v1=\(model("illustrious-xl-v0.1"))"],
                                   environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        try #require(compared.status == 0, "\(compared.stderr)")
        let classified = runPedigree(["classify", out, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(classified.stdout.utf8)) as? [String: Any], "\(classified.stderr)")
        #expect((json["references"] as? [[String: Any]])?.contains { $0["id"] as? String == "v1" } == false)
        #expect((json["compared_outside_policies"] as? [[String: Any]])?.first?["id"] as? String == "v1")
        #expect((json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"), "\(json["inherits_from"] ?? "")")
    }
}
