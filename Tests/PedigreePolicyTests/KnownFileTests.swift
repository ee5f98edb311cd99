import Foundation
import PedigreeYAML
import Testing
@testable import PedigreePolicy

/// The shipped known files (research note hashes.md) and the rules every `files` entry,
/// source address and policy file name is held to.
@Suite struct ShippedKnownFileTests {
    let set: PolicySet

    init() throws {
        set = try PolicyLoader.load(folder: shippedPoliciesFolder()).get()
    }

    func file(_ sha: String) throws -> KnownFileMatch {
        let matches = set.knownFiles(sha256: sha)
        return try #require(matches.first, "no file recorded with SHA-256 \(sha)")
    }

    @Test func theThreeMissingFilesAndTheSecondAnimagineHashAreRecorded() throws {
        let vae = try file("e6bb9ea85bbf7bf6478a7c6d18b71246f22e95d41bcdd80ed40aa212c33cfeff")
        #expect(vae.model.id == "sdxl-base-1.0" && vae.file.name == "sd_xl_base_1.0_0.9vae.safetensors")
        #expect(vae.file.bytes == 6_938_078_334 && vae.file.strength == .corroborated)
        #expect(vae.file.civitai == KnownFile.CivitaiIds(model: 101055, version: 128078, file: 92696))

        let vpred = try file("ea349eeae87ca8d25ba902c93810f7ca83e5c82f920edf12f273af004ae02819")
        #expect(vpred.model.id == "noobai-xl-vpred-1.0" && vpred.file.autov2 == "EA349EEAE8" && vpred.file.bytes == 7_105_350_110)

        let kohaku = try file("7b9489093b4e05c2480f7a23d4883b27dcec16294bd9f2311c2af9dbf95b5a5d")
        #expect(kohaku.model.id == "kohaku-xl-beta5" && kohaku.file.strength == .weak)

        let animagine = try file("8ece83aa1bed1fb39a2b81f1660f0ce6889218e493c1f2ed55e9f15f59a7e03f")
        let main = try file("1d5b43ff75b6ab598502d4c779d2fbfa3dceca51c60c3b609640a60772333916")
        #expect(animagine.model.id == "animagine-xl-4.0" && animagine.file.strength == .singleSource)
        #expect(animagine.file.conflictsWith == [main.file.sha256!] && main.file.conflictsWith == [animagine.file.sha256!])
        #expect(main.file.revision == "2b7c1b397761bf5bd3cc42e5b39ec99314a75a96" && main.file.strength == .corroborated)
    }

    @Test func knownHashesArePinned() throws {
        // Values copied from the research note; a typo in a policy file turns this red.
        let pinned = [
            "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b": "sdxl-base-1.0",
            "3e15ba00387db678ab4a099f75771c4f5ac67fda9e7100a01d263eaf30145aa9": "illustrious-xl-v0.1",
            "c2a1a3eaa13d4c107dc7e00c3fe830cab427aa026362740ea094745b3422a331": "illustrious-xl-v2.0",
            "6681e8e4b134c81f16533acedb0d406d7e5e366e1624b4105178c64d00b05d51": "noobai-xl-eps-1.1",
            "67ab2fd8ec439a89b3fedb15cc65f54336af163c7eb5e4f2acc98f090a29b0b3": "pony-diffusion-v6-xl",
            "e3c47aedb06418c6c331443cd89f2b3b3b34b7ed2102a3d4c4408a8d35aad6b0": "animagine-xl-3.1",
        ]
        for (sha, model) in pinned { #expect(try file(sha).model.id == model, "\(sha)") }
        #expect(try file("3e15ba00387db678ab4a099f75771c4f5ac67fda9e7100a01d263eaf30145aa9").file.civitai?.version == 889818)
        #expect(set.model("noobai-xl-eps-1.0")?.files.first?.civitai == KnownFile.CivitaiIds(model: 833294, version: 1022833, file: nil))
        #expect(set.model("noobai-xl-eps-1.0")?.files.first?.sha256 == nil, "no hash was found for NoobAI eps 1.0: none is invented")
    }

    @Test func everyRecordedHashIsWellFormedAndNoHashBelongsToTwoModels() {
        var owner: [String: String] = [:]
        for model in set.models {
            for file in model.files {
                guard let sha = file.sha256 else { continue }
                #expect(KnownFile.isSHA256(sha))
                if let autov2 = file.autov2 { #expect(autov2 == sha.prefix(10).uppercased()) }
                #expect(owner[sha] == nil || owner[sha] == model.id, "\(sha)")
                owner[sha] = model.id
                #expect(file.strength != nil, "\(model.id) \(file.name): every shipped hash says how strongly it is backed")
            }
        }
    }

    @Test func noSourceGoesThroughAMirror() throws {
        let mirrors = ["hf.global-rail.com", "hugingapi.com", "hf-proxy.robus.us.kg", "hf.zhengshangchen.top", "hf-p-cfw.fyan.top"]
        let root = shippedPoliciesFolder()
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".md") || relative.hasSuffix(".json") else { continue }
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            for mirror in mirrors { #expect(!text.contains(mirror), "\(relative) names \(mirror)") }
        }
        #expect(PolicyInventory.sourceHosts(in: PolicyFiles.read(folder: root), allowed: set.sourceHosts).isEmpty)
        #expect(set.sourceHosts.admits("huggingface.co") && !set.sourceHosts.admits("hf.global-rail.com"))
        #expect(PolicyLintChecks.errors(in: set).isEmpty)
    }
}

/// The rules on a fixture, each broken once.
@Suite struct KnownFileRuleTests {
    func model(_ id: String, files: String) -> String {
        PolicyFixture.model(id) + "files:\n" + files
    }

    static let shaA = String(repeating: "a", count: 64)
    static let shaB = String(repeating: "b", count: 64)

    @Test func aHashClaimedByTwoModelsIsRefused() throws {
        let fixture = try PolicyFixture()
        let entry = "  - {name: x.safetensors, sha256: \(Self.shaA), source: https://example.org/f, evidence: secondary}\n"
        try fixture.write("models/root.yaml", model("root-model", files: entry))
        try fixture.write("models/child.yaml", model("child-model", files: entry))
        let errors = fixture.errors()
        let duplicate = try #require(errors.first { $0.code == "PO019" }, "\(errors.map(\.message))")
        #expect(duplicate.message.contains("is recorded for both 'child-model'") || duplicate.message.contains("is recorded for both 'root-model'"))
    }

    @Test func conflictingValuesMustBothBeRecorded() throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", model("root-model", files: """
              - {name: x.safetensors, sha256: \(Self.shaA), source: https://example.org/f, evidence: secondary, conflicts_with: [\(Self.shaB)]}

            """))
        #expect(fixture.errors().map(\.code) == ["PO008"])
        try fixture.write("models/root.yaml", model("root-model", files: """
              - {name: x.safetensors, sha256: \(Self.shaA), source: https://example.org/f, evidence: secondary, strength: corroborated, conflicts_with: [\(Self.shaB)]}
              - {name: x.safetensors, sha256: \(Self.shaB), source: https://example.org/g, evidence: secondary, strength: single-source, conflicts_with: [\(Self.shaA)]}

            """))
        #expect(fixture.errors().isEmpty)
    }

    @Test(arguments: [
        ("sha256: \(String(repeating: "A", count: 64))", "64 lower-case hex digits"),
        ("sha256: \(String(repeating: "a", count: 63))", "64 lower-case hex digits"),
        ("sha256: \(String(repeating: "a", count: 64)), autov2: BBBBBBBBBB", "does not match the first 10 hex digits"),
        ("strength: weak", "strength grades a recorded hash"),
        ("sha256: \(String(repeating: "a", count: 64)), strength: strong", "strength"),
        ("revision: main", "40-digit lower-case hex commit id"),
        ("civitai: {model: 0}", "civitai.model must be a positive id"),
        ("civitai: {version: 3}", "required field is missing"),
        ("sha256: \(String(repeating: "a", count: 64)), conflicts_with: [\(String(repeating: "a", count: 64))]", "cannot conflict with itself"),
    ])
    func everyFieldIsChecked(fields: String, message: String) throws {
        let fixture = try PolicyFixture()
        try fixture.write("models/root.yaml", model("root-model", files: "  - {name: x.safetensors, source: https://example.org/f, evidence: secondary, \(fields)}\n"))
        let errors = fixture.errors()
        #expect(errors.contains { $0.message.contains(message) && ($0.code == "PO006" || $0.code == "PO005") }, "\(errors.map(\.message))")
    }

    @Test func lintRefusesAFileNamedOtherThanItsIdAndAnObligationOutsideTheVocabulary() throws {
        let fixture = try PolicyFixture()
        try fixture.write("licences/base.yaml", PolicyFixture.licence.replacingOccurrences(of: "id: share-recipe", with: "id: share-recipes"))
        let set = try fixture.set()  // it still loads: an audit never depends on these
        let errors = PolicyLintChecks.errors(in: set)
        #expect(errors.contains { $0.code == "PO017" && $0.message.contains("model 'root-model' is in a file named 'root.yaml'") && $0.message.contains("models/root-model.yaml") })
        #expect(errors.contains { $0.code == "PO017" && $0.message.contains("licence 'base-licence'") })
        let vocabulary = try #require(errors.first { $0.code == "PO018" })
        #expect(vocabulary.message.contains("id 'share-recipes' is not in the obligation vocabulary") && vocabulary.message.contains("did you mean 'share-recipe'?"))
        #expect(vocabulary.message.hasPrefix(fixture.path("licences/base.yaml") + ":"))
    }

    /// The shipped classification.yaml with its `source_hosts` replaced.
    func classification(hosts: String) throws -> String {
        let shipped = try String(contentsOfFile: shippedPoliciesFolder() + "/classification.yaml", encoding: .utf8)
        let head = try #require(shipped.components(separatedBy: "\nsource_hosts:").first)
        return head.replacingOccurrences(of: "\ndefault_references:", with: "\n# default_references:") + "\nsource_hosts: \(hosts)\n"
    }

    @Test func sourceHostsWarnOutsideTheList() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", try classification(hosts: "[example.org, huggingface.co]"))
        try fixture.write("models/root.yaml", PolicyFixture.model("root-model").replacingOccurrences(
            of: "source: https://example.org/m\n", with: "source: https://hf.global-rail.com/x/y/raw/abc/README.md\n"))
        let set = try fixture.set()
        #expect(set.sourceHosts.hosts == ["example.org", "huggingface.co"])
        let warnings = PolicyInventory.sourceHosts(in: PolicyFiles.read(folder: fixture.folder.path), allowed: set.sourceHosts)
        #expect(warnings.count == 1)
        #expect(warnings.first?.code == "PO020")
        #expect(warnings.first?.message.contains("models/root.yaml:5:9: source: 'https://hf.global-rail.com/x/y/raw/abc/README.md' is on host 'hf.global-rail.com'") == true, "\(warnings.map(\.message))")
        // A subdomain of a listed host is that host's; no list, no check.
        #expect(SourceHostList(hosts: ["huggingface.co"]).admits("discuss.huggingface.co"))
        #expect(PolicyInventory.sourceHosts(in: PolicyFiles.read(folder: fixture.folder.path), allowed: .none).isEmpty)
        try fixture.write("classification.yaml", try classification(hosts: "[https://huggingface.co/]"))
        #expect(fixture.errors().first?.message.contains("is not a host name") == true)
    }
}
