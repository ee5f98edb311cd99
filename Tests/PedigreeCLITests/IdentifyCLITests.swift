import Foundation
import PedigreeTestSupport
import Testing

/// `pedigree identify`, `inspect`'s identity line and LN018 agree on a synthetic file a test
/// policy records under its SHA-256, with no reference given to any of them.
@Suite(.serialized)
struct IdentifyCLITests {
    static let family = DemoFamilyFixture.make(["sdxl-base-1.0", "candidate-far-off"])
    var dir: TemporaryDirectory { Self.family }
    var environment: [String: String] { ["PEDIGREE_CACHE_DIR": dir.file("cache")] }

    /// A copy of the shipped policies with a model `synthetic-upload` whose one file is the
    /// synthetic candidate, and SDXL base as the only default reference (through a fingerprint).
    func policies() throws -> (folder: String, upload: String, sha: String) {
        let folder = dir.file("policies-identify")
        let upload = dir.file("upload.safetensors")
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: folder)
            try FileManager.default.copyItem(atPath: dir.file("candidate-far-off.safetensors"), toPath: upload)
        }
        let sha = try #require(runProcess("/usr/bin/sha256sum", [upload]).stdout.split(separator: " ").first.map(String.init))
        try """
            id: synthetic-upload
            name: Synthetic Upload
            publisher: Test
            version: "1"
            source: https://huggingface.co/test/synthetic-upload
            licence: {id: creativeml-openrail++-m, source: https://huggingface.co/test/synthetic-upload, evidence: primary}
            prediction: {type: eps, source: https://huggingface.co/test/synthetic-upload, evidence: derived}
            files:
              - name: synthetic-upload.safetensors
                sha256: \(sha)
                autov2: \(sha.prefix(10).uppercased())
                source: https://github.com/test/manifests/blob/0000000000000000000000000000000000000000/models.json#L1
                evidence: secondary
                strength: single-source
                revision: 1111111111111111111111111111111111111111
                civitai: {model: 42, version: 43}

            """.write(toFile: folder + "/models/synthetic-upload.yaml", atomically: true, encoding: .utf8)
        let classification = folder + "/classification.yaml"
        let text = try String(contentsOfFile: classification, encoding: .utf8)
        try text.replacingOccurrences(of: "default_references: [sdxl-base-1.0, illustrious-xl-v0.1, noobai-xl-eps-1.0]", with: "default_references: [sdxl-base-1.0]")
            .write(toFile: classification, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/fingerprints", withIntermediateDirectories: true)
        let fingerprint = folder + "/fingerprints/sdxl-base-1.0.safetensors"
        if !FileManager.default.fileExists(atPath: fingerprint) {
            let made = runPedigree(["fingerprint", dir.file("sdxl-base-1.0.safetensors"), "--id", "sdxl-base-1.0", "-o", fingerprint], environment: environment)
            #expect(made.status == 0, "\(made.stderr)")
        }
        return (folder, upload, sha)
    }

    @Test func identifyNamesTheKnownModelByItsHashAndNoneForOthers() throws {
        let (policies, upload, sha) = try policies()
        let text = runPedigree(["identify", upload, dir.file("sdxl-base-1.0.safetensors"), "--policies", policies], environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("KNOWN    \(upload)"), "\(text.stdout)")
        #expect(text.stdout.contains("Synthetic Upload — synthetic-upload (synthetic-upload.safetensors; secondary, single-source)"), "\(text.stdout)")
        #expect(text.stdout.contains("civitai  model 42, version 43"))
        #expect(text.stdout.contains("NONE     \(dir.file("sdxl-base-1.0.safetensors"))"))
        #expect(text.stdout.contains("2 paths: 1 known, 1 not known"))

        // A folder, as `scan` takes it, in JSON for hubs.
        let uploads = dir.file("uploads-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: uploads + "/nested", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: upload, toPath: uploads + "/nested/renamed.safetensors")
        try FileManager.default.copyItem(atPath: dir.file("sdxl-base-1.0.safetensors"), toPath: uploads + "/sdxl.safetensors")
        let json = runPedigree(["identify", uploads, "--policies", policies, "--format", "json"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "pedigree.identify/1")
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.count == 2)
        let known = files.filter { $0["identity"] != nil }
        #expect(known.count == 1, "\(files.map { $0["path"] ?? "" })")
        #expect((known.first?["path"] as? String)?.hasSuffix("/nested/renamed.safetensors") == true, "known by its bytes, whatever its name")
        let identity = try #require(known.first?["identity"] as? [String: Any])
        #expect(identity["model"] as? String == "synthetic-upload")
        #expect(identity["revision"] as? String == String(repeating: "1", count: 40))
        #expect(known.allSatisfy { $0["sha256"] as? String == sha })
    }

    @Test func inspectPrintsTheSameIdentityInOneLine() throws {
        let (policies, upload, _) = try policies()
        let text = runPedigree(["inspect", upload, "--policies", policies], environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").filter { $0.contains("identity  ") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("Synthetic Upload — synthetic-upload (synthetic-upload.safetensors; secondary, single-source), by its SHA-256") == true, "\(text.stdout)")
        let other = runPedigree(["inspect", dir.file("sdxl-base-1.0.safetensors"), "--policies", policies, "--format", "json"], environment: environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(other.stdout.utf8)) as? [String: Any])
        #expect(json["identity"] == nil && json["identity_checked"] as? Bool == true)
    }

    @Test func auditWithNoReferenceGivenRaisesLN018() throws {
        let (policies, upload, _) = try policies()
        let result = runPedigree(["audit", upload, "--policies", policies, "--format", "json", "--report-dir", dir.file("reports")], environment: environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let codes = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("LN018"), "\(codes)")
        #expect((json["inherits_from"] as? [String] ?? []).contains("synthetic-upload"))
    }

    @Test func declaredHashIsAHintNotAnIdentity() throws {
        // A merge that kept its first input's modelspec.hash_sha256: the declared value names
        // the synthetic upload, the file itself is none.
        let (policies, _, sha) = try policies()
        let scratch = try TemporaryDirectory()
        let header = SafetensorsBytes.header("\"__metadata__\":{\"modelspec.hash_sha256\":\"0x\(sha)\"}",
                                             SafetensorsBytes.entry("model.diffusion_model.out.2.bias", "F32", [1], 0, 4))
        let merged = try scratch.write(SafetensorsBytes.make(header: header, data: [0, 0, 128, 63]), to: "merged-with-copied-hash.safetensors")
        let text = runPedigree(["identify", merged, "--policies", policies], environment: environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("NONE     \(merged)"), "\(text.stdout)")
        #expect(text.stdout.contains("Declared by the file (a hint, not its identity"))
        #expect(text.stdout.contains("modelspec.hash_sha256: 0x\(sha) — the SHA-256 the policies record for synthetic-upload"))
    }

    @Test func aPickleIsRefusedWhateverItsNameAndTheOthersAreStillReported() throws {
        let (policies, upload, _) = try policies()
        let scratch = try TemporaryDirectory()
        let pickle = try scratch.write([0x80, 0x04, 0x7D, 0x71, 0x00, 0x2E] + SafetensorsBytes.filler(16), to: "disguised.safetensors")
        let result = runPedigree(["identify", pickle, upload, "--policies", policies], environment: environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("disguised.safetensors: refusing a pickle-based checkpoint") && result.stderr.contains("[ST020]"), "\(result.stderr)")
        #expect(result.stdout.contains("KNOWN    \(upload)"))
    }
}
