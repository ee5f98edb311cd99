import Foundation
import PedigreeAttest
import PedigreeFormat
import PedigreePolicy
@testable import PedigreeReports
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// The text renderers of the commands that only read (inspect, verify, policy list, show,
/// test), which live here rather than in the CLI so they are tested without a process.
@Suite("Command text renderers")
struct CommandTextTests {
    static let policies = try? PolicyLoader.locateAndLoad(explicit: packageRoot().appendingPathComponent("Policies").path)

    @Test func textTableAlignsFiguresRightAndLeavesTheLastNameColumnUnpadded() {
        #expect(TextTable.figures([["id", "cosine"], ["sdxl", "0.99"]]).lines(indent: "") == ["id    cosine", "sdxl    0.99"])
        #expect(TextTable(plain: [["ID", "NAME"], ["a-long-id", "x"]]).lines(indent: "") == ["ID         NAME", "a-long-id  x"])
    }

    @Test func inspectionTextGroupsCountsAndEscapesWhatTheFileSays() throws {
        let dir = try TemporaryDirectory()
        let header = #"{"__metadata__":{"note":"a\u001b[2Jb"},"w":{"dtype":"F32","shape":[1000,1000],"data_offsets":[0,4000000]}}"#
        let path = try dir.write(SafetensorsBytes.make(header: header, data: [UInt8](repeating: 0, count: 4_000_000)), to: "m.safetensors")
        let text = InspectionText.render(try Inspector.inspect(path: path))
        #expect(text.contains("  parameters    1,000,000"))
        #expect(text.contains(#"    note: a\e[2Jb"#), "\(text)")
        #expect(!text.unicodeScalars.contains("\u{1B}"))
    }

    @Test func policyListIsTwoTablesWithAFootnote() throws {
        let set = try #require(Self.policies)
        let lines = PolicyListText.render(set).components(separatedBy: "\n")
        #expect(lines.first == "MODELS")
        #expect(lines[1].hasPrefix("ID "))
        #expect(lines.contains("LICENCES"))
        #expect(lines.last == "(?) licence known from secondary sources only; see `pedigree policy show ID`.")
        #expect(lines.count == 1 + 1 + set.models.count + 2 + 1 + set.licences.count + 2)
    }

    @Test func policyShowDrawsTheLineageTreeAndTheObligations() throws {
        let set = try #require(Self.policies)
        let summary = try #require(ModelPolicySummary(modelId: "noobai-xl-eps-1.0", in: set))
        let text = PolicyShowText.render(summary)
        #expect(text.hasPrefix("noobai-xl-eps-1.0: "))
        #expect(text.contains("LINEAGE (up to roots: "))
        #expect(text.contains("└─ "))
        #expect(text.contains("OBLIGATIONS PASSED ON (\(summary.obligations.count))"))
    }

    @Test func verificationTextNamesEachCheckAndWhatWasAttested() throws {
        let key = Ed25519Keys.generate()
        let sha = String(repeating: "a", count: 64)
        let statement = try InTotoStatement.render(subject: .init(name: "m.safetensors", sha256: sha), predicate: .audit,
                                                   predicateJSON: Data(#"{"verdict":"pass"}"#.utf8))
        let envelope = try DSSE.sign(payload: statement, payloadType: InTotoStatement.payloadType, key: key)
        let valid = try Verification.verify(envelope: envelope, path: "e.json", key: key.publicKey, fileSHA256: sha, policySetDigest: nil)
        let text = VerificationText.text(valid, file: "m.safetensors")
        #expect(text.hasPrefix("VALID  m.safetensors\n  ok   signature: "), "\(text)")
        #expect(text.contains("  attested: \(InTotoStatement.Predicate.audit.typeURI)"), "\(text)")
        let other = try Verification.verify(envelope: envelope, path: "e.json", key: key.publicKey,
                                            fileSHA256: String(repeating: "b", count: 64), policySetDigest: nil)
        #expect(VerificationText.text(other, file: "m.safetensors").hasPrefix("INVALID  m.safetensors\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(VerificationText.json(other).utf8)) as? [String: Any])
        #expect(json["valid"] as? Bool == false)
        #expect(json["attested"] == nil)
    }
}
