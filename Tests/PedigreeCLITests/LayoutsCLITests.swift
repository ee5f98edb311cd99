import Foundation
import PedigreeTestSupport
import Testing

/// Checkpoints in the forms they are published in: a diffusers folder (sharded UNet, both
/// text encoders with OpenCLIP's in_proj split into q, k, v and its projection transposed)
/// and a sharded single-layout file, both written by `Tests/Oracles/to_diffusers.py` with
/// sd-mecha's key functions, must give the figures the single file gives.
@Suite(.serialized)
struct LayoutsCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]

    static let family = DemoFamilyFixture.make(references + ["candidate-noob-merge"])

    var dir: TemporaryDirectory { Self.family }

    func convert(_ mode: String, _ model: String, _ out: String, _ count: Int) throws -> String {
        let folder = dir.file(out)
        if FileManager.default.fileExists(atPath: folder) { return folder }
        let result = try runPythonScript("Tests/Oracles/to_diffusers.py") { _ in [mode, dir.file("\(model).safetensors"), folder, String(count)] }
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        return folder
    }

    /// `pedigree compare` as JSON, references given as `paths` (id → path).
    func compare(_ candidate: String, _ paths: [String: String], _ extra: [String] = []) throws -> [String: Any] {
        let result = runPedigree(["compare", candidate, "--format", "json"] + extra
            + Self.references.flatMap { ["--ref", "\($0)=\(paths[$0] ?? dir.file("\($0).safetensors"))"] },
            environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        guard result.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Every reference's headline figures and every attribution share.
    func figures(_ json: [String: Any]) -> [String: Double] {
        var out: [String: Double] = [:]
        for reference in (json["references"] as? [[String: Any]]) ?? [] {
            let id = reference["id"] as? String ?? "?"
            for key in ["mean_cosine", "parameter_weighted_cosine", "flat_cosine", "relative_l2"] {
                if let value = reference[key] as? Double { out["\(id).\(key)"] = value }
            }
        }
        for reference in ((json["attribution"] as? [String: Any])?["references"] as? [[String: Any]]) ?? [] {
            if let share = reference["share"] as? Double { out["\(reference["id"] as? String ?? "?").share"] = share }
        }
        return out
    }

    func expectSameFigures(_ a: [String: Any], _ b: [String: Any], _ what: String) {
        let x = figures(a), y = figures(b)
        #expect(x.count >= 12, "\(what): \(x)")
        #expect(Set(x.keys) == Set(y.keys), "\(what)")
        for (key, value) in x {
            guard let other = y[key] else { continue }
            #expect(abs(value - other) <= 1e-6, "\(what): \(key) \(value) vs \(other)")
        }
    }

    @Test(.pythonOracle) func aDiffusersFolderGivesTheSingleFilesFigures() throws {
        let folder = try convert("diffusers", "candidate-noob-merge", "noob-merge-diffusers", 2)
        // A diffusers folder has no OpenCLIP logit_scale (CLIP's text model has none): the
        // single file, that one scalar left out, is what the folder must equal.
        let withoutLogitScale = ["--exclude", "conditioner.embedders.1.model.logit_scale"]
        let single = try compare(dir.file("candidate-noob-merge.safetensors"), [:], withoutLogitScale)
        let fromFolder = try compare(folder, [:])
        expectSameFigures(single, fromFolder, "candidate as a diffusers folder")
        #expect((fromFolder["candidate"] as? [String: Any])?["kind"] as? String == "diffusers")
        // Everything but logit_scale is there.
        let compared = try #require((fromFolder["coverage"] as? [String: Any])?["tensors_compared"] as? Int)
        let whole = try compare(dir.file("candidate-noob-merge.safetensors"), [:])
        let wholeCompared = try #require((whole["coverage"] as? [String: Any])?["tensors_compared"] as? Int)
        #expect(compared == wholeCompared - 1, "\(compared) of \(wholeCompared)")

        // References as folders too.
        let noobFolder = try convert("diffusers", "noobai-xl-eps-1.0", "noob-diffusers", 1)
        let illFolder = try convert("diffusers", "illustrious-xl-v0.1", "ill-diffusers", 3)
        let folders = try compare(dir.file("candidate-noob-merge.safetensors"), ["noobai-xl-eps-1.0": noobFolder, "illustrious-xl-v0.1": illFolder], withoutLogitScale)
        expectSameFigures(single, folders, "references as diffusers folders")
    }

    @Test(.pythonOracle) func aShardedCheckpointReadsAsOneByItsIndexOrAnyShard() throws {
        let folder = try convert("sharded", "candidate-noob-merge", "noob-merge-sharded", 3)
        let single = try compare(dir.file("candidate-noob-merge.safetensors"), [:])
        expectSameFigures(single, try compare("\(folder)/model.safetensors.index.json", [:]), "by its index")
        expectSameFigures(single, try compare("\(folder)/model-00002-of-00003.safetensors", [:]), "by a shard")
    }

    @Test(.pythonOracle) func brokenShardSetsAreErrorsThatNameTheShard() throws {
        let source = try convert("sharded", "candidate-noob-merge", "noob-merge-sharded", 3)
        func broken(_ name: String, _ damage: (String) throws -> Void) throws -> (Int32, String) {
            let copy = dir.file(name)
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            try damage(copy)
            let result = runPedigree(["compare", "\(copy)/model.safetensors.index.json", "--ref", "noobai-xl-eps-1.0=\(dir.file("noobai-xl-eps-1.0.safetensors"))"])
            return (result.status, result.stderr)
        }
        let missing = try broken("missing-shard") { try FileManager.default.removeItem(atPath: "\($0)/model-00003-of-00003.safetensors") }
        #expect(missing.0 == 2 && missing.1.contains("LY002") && missing.1.contains("model-00003-of-00003.safetensors"), "\(missing.1)")

        func rewriteIndex(_ folder: String, _ change: (inout [String: String]) -> Void) throws {
            let path = "\(folder)/model.safetensors.index.json"
            var index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            var map = try #require(index["weight_map"] as? [String: String])
            change(&map)
            index["weight_map"] = map
            try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: path))
        }
        let moved = try broken("moved-tensor") { folder in
            try rewriteIndex(folder) { map in
                let name = map.keys.sorted().first { map[$0] == "model-00001-of-00003.safetensors" }!
                map[name] = "model-00002-of-00003.safetensors"
            }
        }
        #expect(moved.0 == 2 && moved.1.contains("LY003"), "\(moved.1)")
        let escape = try broken("escaping-name") { folder in
            try rewriteIndex(folder) { map in map[map.keys.sorted()[0]] = "../../etc/passwd" }
        }
        #expect(escape.0 == 2 && escape.1.contains("LY007"), "\(escape.1)")
        let notJSON = try broken("bad-index") { try "{\"weight_map\": [".write(toFile: "\($0)/model.safetensors.index.json", atomically: true, encoding: .utf8) }
        #expect(notJSON.0 == 2 && notJSON.1.contains("LY001"), "\(notJSON.1)")
        // A folder that is no diffusers model.
        let empty = dir.file("empty-folder")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let folderResult = runPedigree(["compare", empty, "--ref", "noobai-xl-eps-1.0=\(dir.file("noobai-xl-eps-1.0.safetensors"))"])
        #expect(folderResult.status == 2 && folderResult.stderr.contains("LY005"), "\(folderResult.stderr)")
    }

    @Test(.pythonOracle) func aDiffusersNoobAIMergeIsAuditedAsOne() throws {
        let folder = try convert("diffusers", "candidate-noob-merge", "noob-merge-diffusers", 2)
        let out = dir.file("reports-folder")
        let result = runPedigree(["audit", folder, "--report-dir", out] + Self.references.flatMap { ["--ref", "\($0)=\(dir.file("\($0).safetensors"))"] },
                                 environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(result.status == 1, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/noob-merge-diffusers.json"))) as? [String: Any])
        #expect((json["inherits_from"] as? [String] ?? []).contains("noobai-xl-eps-1.0"))
    }
}
