import Foundation
import PedigreeTestSupport
import Testing

/// The maker's path through the built binary: audit → card → stamp → keygen → attest →
/// verify, on a generated family, with independent Python checks at each step.
@Suite(.serialized)
struct AttachCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]

    /// A width ÷32 family, one audit of the NoobAI merge, and a key pair — made once.
    static let setup: (dir: TemporaryDirectory, audit: String, otherAudit: String) = {
        let dir = DemoFamilyFixture.make(references + ["candidate-noob-merge", "candidate-illustrious-finetune"])
        let env = ["PEDIGREE_CACHE_DIR": dir.file("cache")]
        func audit(_ candidate: String) -> String {
            let result = runPedigree(["audit", dir.file("\(candidate).safetensors"), "--report-dir", dir.file("reports-\(candidate)")]
                + references.flatMap { ["--ref", "\($0)=\(dir.file("\($0).safetensors"))"] }, environment: env)
            guard result.status <= 1 else { fatalError("audit failed: \(result.stderr)") }
            return dir.file("reports-\(candidate)/\(candidate).json")
        }
        let keys = runPedigree(["keygen", "-o", dir.file("maker")])
        guard keys.status == 0 else { fatalError("keygen failed: \(keys.stderr)") }
        return (dir, audit("candidate-noob-merge"), audit("candidate-illustrious-finetune"))
    }()

    var dir: TemporaryDirectory { Self.setup.dir }
    var candidate: String { dir.file("candidate-noob-merge.safetensors") }

    /// AutoV3, whole-file SHA-256 and metadata, computed by Python from the raw bytes.
    func pythonFacts(_ path: String) throws -> [String: Any] {
        let result = try runPython(script: """
            import hashlib, json, struct, sys
            data = open(sys.argv[1], "rb").read()
            n = struct.unpack("<Q", data[:8])[0]
            header = json.loads(data[8:8 + n])
            print(json.dumps({"autov3": hashlib.sha256(data[8 + n:]).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(),
                              "metadata": header.get("__metadata__", {}),
                              "tensors": {k: v for k, v in header.items() if k != "__metadata__"}}))
            """, arguments: [path])
        guard result.status == 0 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func stamp(_ output: String, _ extra: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        runPedigree(["stamp", candidate, "-o", output, "--from", Self.setup.audit] + extra)
    }

    @Test(.pythonOracle) func stampKeepsTheTensorBytesAndTheInput() throws {
        let before = try pythonFacts(candidate)
        let modified = try FileManager.default.attributesOfItem(atPath: candidate)[.modificationDate] as? Date
        let out = dir.file("stamped.safetensors")
        let result = stamp(out)
        #expect(result.status == 0, "\(result.stderr)")
        let after = try pythonFacts(out)
        #expect(after["autov3"] as? String == before["autov3"] as? String, "AutoV3 unchanged")
        #expect(NSDictionary(dictionary: after["tensors"] as? [String: Any] ?? [:]).isEqual(to: before["tensors"] as? [String: Any] ?? [:]), "same tensor entries")
        let metadata = try #require(after["metadata"] as? [String: String])
        #expect(metadata["modelspec.hash_sha256"] == "0x" + (before["autov3"] as? String ?? ""))
        #expect(metadata["modelspec.license"]?.contains("fair-ai-public-license-1.0-sd") == true)
        #expect(metadata["modelspec.merged_from"]?.contains("NoobAI") == true)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data((metadata["pedigree.audit"] ?? "").utf8)) as? [String: Any])
        #expect(summary["verdict"] as? String == "FAIL")
        #expect((summary["inherits_from"] as? [String])?.contains("noobai-xl-eps-1.0") == true)
        #expect(summary["audited_sha256"] as? String == before["sha256"] as? String)
        #expect((summary["policy_set_digest"] as? String)?.count == 64)
        for (key, value) in before["metadata"] as? [String: String] ?? [:] where !key.hasPrefix("modelspec.") {
            #expect(metadata[key] == value, "existing metadata '\(key)' kept")
        }
        // The input was not touched.
        #expect(try pythonFacts(candidate)["sha256"] as? String == before["sha256"] as? String)
        #expect(try FileManager.default.attributesOfItem(atPath: candidate)[.modificationDate] as? Date == modified)
        // The reference package reads the stamped file, tensors equal to the original's.
        let check = try runPython(script: """
            import sys, numpy as np
            from safetensors import safe_open
            a, b = safe_open(sys.argv[1], "np"), safe_open(sys.argv[2], "np")
            assert sorted(a.keys()) == sorted(b.keys())
            for k in list(a.keys())[::97]:
                assert np.array_equal(a.get_tensor(k), b.get_tensor(k), equal_nan=True), k
            print(b.metadata()["modelspec.sai_model_spec"])
            """, arguments: [candidate, out])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("1.0.1"))
    }

    @Test(.pythonOracle) func replaceMetadataDropsTheOldEntries() throws {
        let out = dir.file("replaced.safetensors")
        #expect(stamp(out, ["--replace-metadata"]).status == 0)
        let metadata = try #require(try pythonFacts(out)["metadata"] as? [String: String])
        let old = try pythonFacts(candidate)["metadata"] as? [String: String] ?? [:]
        for key in old.keys where !key.hasPrefix("modelspec.") { #expect(metadata[key] == nil, "'\(key)' dropped") }
        #expect(metadata["pedigree.audit"] != nil)
    }

    @Test(.pythonOracle) func stampRefusesTheWrongFileAndWritingOverItsInput() throws {
        let wrong = runPedigree(["stamp", dir.file("candidate-illustrious-finetune.safetensors"), "-o", dir.file("x.safetensors"), "--from", Self.setup.audit])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("[AL002]"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("x.safetensors")), "no output for a refused stamp")
        let same = runPedigree(["stamp", candidate, "-o", candidate, "--from", Self.setup.audit])
        #expect(same.status == 2)
        #expect(same.stderr.contains("[SW006]"))
        // Re-stamping a stamped copy is allowed: it is tied to the audit through its stamp.
        let first = dir.file("restamp-1.safetensors"), second = dir.file("restamp-2.safetensors")
        #expect(stamp(first).status == 0)
        let again = runPedigree(["stamp", first, "-o", second, "--from", Self.setup.audit])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try pythonFacts(first)["sha256"] as? String == pythonFacts(second)["sha256"] as? String, "stamping is deterministic")
    }

    func attest(_ file: String, _ output: String, _ extra: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        runPedigree(["attest", Self.setup.audit, file, "--key", dir.file("maker.key"), "-o", output] + extra)
    }

    func verify(_ envelope: String, _ file: String, _ extra: [String] = []) -> (status: Int32, stdout: String, stderr: String) {
        runPedigree(["verify", envelope, file, "--key", dir.file("maker.pub")] + extra)
    }

    /// The policy-set digest as the documentation defines it, computed by Python.
    func pythonPolicyDigest() throws -> String {
        try runPython(script: """
            import hashlib, os, sys
            root = sys.argv[1]
            files = [f"{d}/{n}" for d in ("licences", "models") for n in os.listdir(os.path.join(root, d)) if n.endswith((".yaml", ".yml"))]
            if os.path.exists(os.path.join(root, "classification.yaml")): files.append("classification.yaml")
            h = hashlib.sha256()
            for rel in sorted(files, key=lambda p: p.encode()):
                data = open(os.path.join(root, rel), "rb").read()
                h.update(rel.encode() + b"\\0" + str(len(data)).encode() + b"\\0" + data)
            print(h.hexdigest())
            """, arguments: [packageRoot().appendingPathComponent("Policies").path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.pythonOracle) func attestThenVerifyWithBothPredicates() throws {
        let stamped = dir.file("attest-stamped.safetensors")
        #expect(stamp(stamped).status == 0)
        let digest = try pythonPolicyDigest()
        let audit = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.setup.audit))) as? [String: Any])
        #expect((audit["policy_set"] as? [String: Any])?["digest"] as? String == digest, "audit's policy_set.digest matches the documented definition")
        for (predicate, type) in [("audit", "https://pedigree.invalid/attestation/audit/v1"), ("cyclonedx", "https://cyclonedx.org/bom")] {
            for file in [candidate, stamped] {
                let envelope = dir.file("env-\(predicate)-\(URL(fileURLWithPath: file).lastPathComponent).json")
                let made = attest(file, envelope, ["--predicate", predicate])
                #expect(made.status == 0, "\(made.stderr)")
                let ok = verify(envelope, file, ["--policy-digest", digest])
                #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
                #expect(ok.stdout.contains("VALID") && ok.stdout.contains("audit verdict: FAIL"))
                // Independent check: Python `cryptography` over DSSE PAE, and the subject digest.
                let python = try runPython(script: """
                    import base64, hashlib, json, sys
                    from cryptography.hazmat.primitives import serialization
                    env = json.load(open(sys.argv[1])); pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
                    payload = base64.b64decode(env["payload"]); t = env["payloadType"].encode()
                    pub.verify(base64.b64decode(env["signatures"][0]["sig"]), b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload))
                    stmt = json.loads(payload)
                    assert stmt["subject"][0]["digest"]["sha256"] == hashlib.sha256(open(sys.argv[3], "rb").read()).hexdigest()
                    print(stmt["predicateType"])
                    if stmt["predicateType"] == "https://cyclonedx.org/bom":
                        from cyclonedx.schema import SchemaVersion
                        from cyclonedx.validation.json import JsonStrictValidator
                        error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(stmt["predicate"]))
                        assert error is None, str(error).splitlines()[0]
                    else:
                        assert stmt["predicate"] == json.load(open(sys.argv[4])), "the predicate is the audit report"
                    """, arguments: [envelope, dir.file("maker.pub"), file, Self.setup.audit])
                #expect(python.status == 0, "\(python.stderr)")
                #expect(python.stdout.contains(type))
            }
        }
        let envelope = dir.file("env-audit-attest-stamped.safetensors.json")
        #expect(verify(envelope, stamped, ["--policy-digest", String(repeating: "0", count: 64)]).status == 1, "another policy set")
        #expect(verify(envelope, candidate).status == 1, "the unstamped file is not the subject")
        let other = dir.file("other")
        #expect(runPedigree(["keygen", "-o", other]).status == 0)
        #expect(runPedigree(["verify", envelope, stamped, "--key", other + ".pub"]).status == 1, "another key")
        #expect(runPedigree(["verify", envelope, stamped, "--key", dir.file("maker.key")]).status == 2, "a private key is refused")
        #expect(runPedigree(["verify", Self.setup.audit, stamped, "--key", dir.file("maker.pub")]).status == 2, "not an envelope")
        let json = verify(envelope, stamped, ["--format", "json"])
        #expect(json.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["valid"] as? Bool == true)
    }

    @Test func attestRefusesAFileTheAuditDidNotExamine() {
        let result = attest(dir.file("candidate-illustrious-finetune.safetensors"), dir.file("nope.json"))
        #expect(result.status == 2)
        #expect(result.stderr.contains("[AL002]"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("nope.json")))
    }

    /// Flipping one byte anywhere — in the checkpoint or in the envelope — makes verify fail,
    /// at 100 random positions each.
    @Test func everySingleByteTamperFailsVerification() throws {
        let file = dir.file("tamper.safetensors")
        #expect(stamp(file).status == 0)
        let envelope = dir.file("tamper.intoto.json")
        #expect(attest(file, envelope).status == 0)
        #expect(verify(envelope, file).status == 0)
        var generator = SystemRandomNumberGenerator()
        for target in [file, envelope] {
            let handle = try #require(FileHandle(forUpdatingAtPath: target))
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            // 100 flips a file in the full tier; 15 in the quick one (each is a verify run).
            for _ in 0 ..< (TestTier.current == .full ? 100 : 15) {
                let position = UInt64.random(in: 0 ..< size, using: &generator)
                try handle.seek(toOffset: position)
                let original = try #require(try handle.read(upToCount: 1)).first!
                let flipped = original ^ UInt8.random(in: 1 ... 255, using: &generator)
                try handle.seek(toOffset: position)
                try handle.write(contentsOf: [flipped])
                let result = verify(envelope, file)
                #expect(result.status == 1 || result.status == 2, "byte \(position) of \(target) flipped, verify exited \(result.status)")
                try handle.seek(toOffset: position)
                try handle.write(contentsOf: [original])
            }
        }
        #expect(verify(envelope, file).status == 0, "restored: valid again")
    }

    @Test(.pythonOracle) func cardUpdatesInPlaceAndHuggingFaceReadsIt() throws {
        let card = dir.file("README.md")
        try "---\nlanguage: en\n---\n# Model\n".write(toFile: card, atomically: true, encoding: .utf8)
        #expect(runPedigree(["card", card, "--from", Self.setup.audit]).status == 0)
        let once = try String(contentsOfFile: card, encoding: .utf8)
        let again = runPedigree(["card", card, "--from", Self.setup.audit])
        #expect(again.status == 0 && again.stderr.contains("up to date"))
        #expect(try String(contentsOfFile: card, encoding: .utf8) == once)
        let python = try runPython(script: """
            import sys
            from huggingface_hub import ModelCard
            d = ModelCard.load(sys.argv[1]).data
            print(d.license, d.license_name, d.base_model, d.base_model_relation, d.language)
            """, arguments: [card])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout.contains("other fair-ai-public-license-1.0-sd"))
        #expect(python.stdout.contains("merge en"))
        #expect(runPedigree(["card", dir.file("missing.md"), "--from", Self.setup.audit]).status == 2)
    }

    @Test(.pythonOracle) func auditPrintsACycloneDXBOM() throws {
        let result = runPedigree(["audit", candidate, "--no-reports", "--format", "cyclonedx"]
            + Self.references.flatMap { ["--ref", "\($0)=\(dir.file("\($0).safetensors"))"] }, environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(result.status == 1, "FAIL verdict, BOM still printed")
        let python = try runPython(script: """
            import sys
            from cyclonedx.schema import SchemaVersion
            from cyclonedx.validation.json import JsonStrictValidator
            error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(sys.stdin.read() if len(sys.argv) < 2 else sys.argv[1])
            print("valid" if error is None else str(error).splitlines()[0])
            """, arguments: [result.stdout])
        #expect(python.stdout.contains("valid"), "\(python.stdout)\(python.stderr)")
    }

    @Test func newSubcommandsHaveHelpWithExamples() {
        for command in ["card", "stamp", "keygen", "attest", "verify"] {
            let help = runPedigree([command, "--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("EXAMPLES"), "\(command) --help has examples")
        }
    }

    @Test func keygenWritesAPrivateKeyOnlyItsOwnerCanRead() throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("maker.key"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(runPedigree(["keygen", "-o", dir.file("maker")]).status == 64, "no overwrite without --force")
    }
}
