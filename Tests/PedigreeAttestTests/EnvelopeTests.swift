import Crypto
import Foundation
import PedigreeAttest
import PedigreeReports
import PedigreeTestSupport
import Testing

/// DSSE envelopes and Ed25519 keys, checked against an independent implementation: Python's
/// `cryptography` over the DSSE pre-authentication encoding, in both directions.
@Suite("DSSE envelopes and keys")
struct EnvelopeTests {
    static let payloadType = "application/vnd.in-toto+json"

    func statement(sha: String = String(repeating: "ab", count: 32)) -> Data {
        Data("""
        {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"m.safetensors","digest":{"sha256":"\(sha)"}}],"predicateType":"https://pedigree.invalid/attestation/audit/v1","predicate":{"outcome":{"verdict":"fail"},"inherits_from":["noobai-xl-eps-1.0"],"policy_set":{"digest":"\(String(repeating: "cd", count: 32))"}}}
        """.utf8)
    }

    func keyFiles(_ dir: TemporaryDirectory) throws -> (key: Curve25519.Signing.PrivateKey, priv: String, pub: String) {
        let key = Ed25519Keys.generate()
        try Ed25519Keys.privatePEM(key).write(toFile: dir.file("k.key"), atomically: true, encoding: .utf8)
        try Ed25519Keys.publicPEM(key.publicKey).write(toFile: dir.file("k.pub"), atomically: true, encoding: .utf8)
        return (key, dir.file("k.key"), dir.file("k.pub"))
    }

    @Test(.pythonOracle) func keyFilesRoundTripAndPythonLoadsThem() throws {
        let dir = try TemporaryDirectory()
        let (key, priv, pub) = try keyFiles(dir)
        #expect(try Ed25519Keys.readPrivate(path: priv).rawRepresentation == key.rawRepresentation)
        #expect(try Ed25519Keys.readPublic(path: pub).rawRepresentation == key.publicKey.rawRepresentation)
        let result = try runPython(script: """
            import sys
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
            k = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
            p = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
            assert isinstance(k, Ed25519PrivateKey) and isinstance(p, Ed25519PublicKey)
            raw = lambda key: key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            print(raw(k.public_key()) == raw(p))
            """, arguments: [priv, pub])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }

    @Test(.pythonOracle) func pythonVerifiesOurEnvelopeOverPAE() throws {
        let dir = try TemporaryDirectory()
        let (key, _, pub) = try keyFiles(dir)
        let envelope = try DSSE.sign(payload: statement(), payloadType: Self.payloadType, key: key)
        try envelope.write(to: URL(fileURLWithPath: dir.file("env.json")))
        let result = try runPython(script: """
            import base64, hashlib, json, sys
            from cryptography.hazmat.primitives import serialization
            env = json.load(open(sys.argv[1]))
            pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
            payload = base64.b64decode(env["payload"])
            t = env["payloadType"].encode()
            pae = b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)
            sig = env["signatures"][0]
            pub.verify(base64.b64decode(sig["sig"]), pae)   # raises if invalid
            raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            assert sig["keyid"] == hashlib.sha256(raw).hexdigest()
            stmt = json.loads(payload)
            assert stmt["_type"] == "https://in-toto.io/Statement/v1"
            print("verified")
            """, arguments: [dir.file("env.json"), pub])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("verified"))
    }

    @Test(.pythonOracle) func weVerifyAnEnvelopePythonSigned() throws {
        let dir = try TemporaryDirectory()
        let (_, priv, pub) = try keyFiles(dir)
        try statement().write(to: URL(fileURLWithPath: dir.file("statement.json")))
        let result = try runPython(script: """
            import base64, hashlib, json, sys
            from cryptography.hazmat.primitives import serialization
            key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
            payload = open(sys.argv[2], "rb").read()
            t = b"application/vnd.in-toto+json"
            sig = key.sign(b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload))
            raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            env = {"payloadType": t.decode(), "payload": base64.b64encode(payload).decode(),
                   "signatures": [{"keyid": hashlib.sha256(raw).hexdigest(), "sig": base64.b64encode(sig).decode()}]}
            json.dump(env, open(sys.argv[3], "w"), indent=2)
            """, arguments: [priv, dir.file("statement.json"), dir.file("env.json")])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.file("env.json")))
        let verification = try Verification.verify(envelope: data, path: "env.json", key: try Ed25519Keys.readPublic(path: pub),
                                                   fileSHA256: String(repeating: "ab", count: 32), policySetDigest: String(repeating: "cd", count: 32))
        #expect(verification.valid, "\(verification.results)")
        #expect(verification.statement?.verdict == "FAIL")
    }

    /// Every single-byte change of the envelope, anywhere, is caught: 100 random positions.
    @Test func everySingleByteTamperOfTheEnvelopeFails() throws {
        let key = Ed25519Keys.generate()
        let envelope = [UInt8](try DSSE.sign(payload: statement(), payloadType: Self.payloadType, key: key))
        var generator = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0 ..< 100 {
            var tampered = envelope
            let position = Int.random(in: 0 ..< tampered.count, using: &generator)
            tampered[position] ^= UInt8.random(in: 1 ... 255, using: &generator)
            do {
                let result = try Verification.verify(envelope: Data(tampered), path: "env.json", key: key.publicKey,
                                                     fileSHA256: String(repeating: "ab", count: 32), policySetDigest: nil)
                if result.valid { failures += 1; Issue.record("byte \(position) changed and still valid") }
            } catch is AttestError {
                // Unreadable after the change: also a failure to verify (exit 2).
            }
        }
        #expect(failures == 0)
    }

    @Test func aDifferentKeyOrFileOrPolicyDoesNotVerify() throws {
        let key = Ed25519Keys.generate()
        let envelope = try DSSE.sign(payload: statement(), payloadType: Self.payloadType, key: key)
        let good = String(repeating: "ab", count: 32)
        #expect(try Verification.verify(envelope: envelope, path: "e", key: key.publicKey, fileSHA256: good, policySetDigest: nil).valid)
        #expect(try !Verification.verify(envelope: envelope, path: "e", key: Ed25519Keys.generate().publicKey, fileSHA256: good, policySetDigest: nil).valid)
        #expect(try !Verification.verify(envelope: envelope, path: "e", key: key.publicKey, fileSHA256: String(repeating: "ef", count: 32), policySetDigest: nil).valid)
        #expect(try !Verification.verify(envelope: envelope, path: "e", key: key.publicKey, fileSHA256: good, policySetDigest: String(repeating: "00", count: 32)).valid)
        #expect(try Verification.verify(envelope: envelope, path: "e", key: key.publicKey, fileSHA256: good, policySetDigest: "sha256:" + String(repeating: "CD", count: 32)).valid)
    }

    @Test(arguments: [
        ("not json", "AT003"),
        ("[]", "AT003"),
        (#"{"payload":"e30=","payloadType":"x","signatures":[]}"#, "AT003"),
        (#"{"payload":"e30","payloadType":"x","signatures":[{"sig":"AA=="}]}"#, "AT003"),
        (#"{"payload":"e30=","payloadType":"x","signatures":[{"sig":"AA=="}],"extra":1}"#, "AT003"),
        (#"{"payload":"e30=","payloadType":"x","signatures":[{"sig":"AA==","keyid":3}]}"#, "AT003"),
    ])
    func malformedEnvelopesAreBadInput(text: String, code: String) {
        #expect {
            _ = try Verification.verify(envelope: Data(text.utf8), path: "e", key: Ed25519Keys.generate().publicKey,
                                        fileSHA256: String(repeating: "ab", count: 32), policySetDigest: nil)
        } throws: { ($0 as? AttestError)?.code == code }
    }

    @Test func aPrivateKeyIsRefusedWhereThePublicOneBelongs() throws {
        let dir = try TemporaryDirectory()
        let (_, priv, pub) = try keyFiles(dir)
        #expect { _ = try Ed25519Keys.readPublic(path: priv) } throws: { ($0 as? AttestError)?.code == "AT002" }
        #expect { _ = try Ed25519Keys.readPrivate(path: pub) } throws: { ($0 as? AttestError)?.code == "AT002" }
        try "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n".write(toFile: dir.file("short.pub"), atomically: true, encoding: .utf8)
        #expect { _ = try Ed25519Keys.readPublic(path: dir.file("short.pub")) } throws: { ($0 as? AttestError)?.code == "AT002" }
        try "garbage".write(toFile: dir.file("g.pub"), atomically: true, encoding: .utf8)
        #expect { _ = try Ed25519Keys.readPublic(path: dir.file("g.pub")) } throws: { ($0 as? AttestError)?.code == "AT001" }
    }

    /// The statement renderer (Reports) and the reader (Attest) agree on the predicate URIs.
    @Test func predicateTypesAgreeBetweenRendererAndReader() {
        #expect(InTotoStatement.Predicate.audit.typeURI == StatementSummary.auditPredicate)
        #expect(InTotoStatement.Predicate.cyclonedx.typeURI == StatementSummary.cyclonedxPredicate)
        #expect(InTotoStatement.payloadType == StatementSummary.payloadType)
        #expect(InTotoStatement.type == StatementSummary.statementType)
    }
}
