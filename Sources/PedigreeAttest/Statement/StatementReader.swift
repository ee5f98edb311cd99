import Foundation
import PedigreeSupport

/// What a verifier needs from a signed in-toto Statement v1 that carries a Pedigree audit
/// (`https://pedigree.invalid/attestation/audit/v1`) or its CycloneDX BOM
/// (`https://cyclonedx.org/bom`). Read only after the signature verified, yet still read
/// defensively: a signer can sign anything.
public struct StatementSummary: Sendable, Equatable {
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let payloadType = "application/vnd.in-toto+json"
    public static let auditPredicate = "https://pedigree.invalid/attestation/audit/v1"
    public static let cyclonedxPredicate = "https://cyclonedx.org/bom"

    public struct Subject: Sendable, Equatable {
        public var name: String?
        public var sha256: String?
    }

    public var subjects: [Subject]
    public var predicateType: String
    /// PASS or FAIL, when the predicate says.
    public var verdict: String?
    /// The policy-set digest the audit was judged by, when the predicate records one.
    public var policySetDigest: String?
    public var inheritsFrom: [String]

    public static func read(_ payload: Data, path: String) throws(AttestError) -> StatementSummary {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: payload) } catch {
            throw .statement(path: path, field: "(document)", reason: "not valid JSON")
        }
        guard let top = object as? [String: Any] else { throw .statement(path: path, field: "(document)", reason: "not a JSON object") }
        guard top["_type"] as? String == statementType else {
            throw .statement(path: path, field: "_type", reason: "not \(statementType)")
        }
        guard let subjectList = top["subject"] as? [Any], !subjectList.isEmpty else {
            throw .statement(path: path, field: "subject", reason: "missing, not a list, or empty")
        }
        var subjects: [Subject] = []
        for (index, item) in subjectList.enumerated() {
            guard let entry = item as? [String: Any], let digest = entry["digest"] as? [String: Any], !digest.isEmpty else {
                throw .statement(path: path, field: "subject[\(index)].digest", reason: "missing or empty")
            }
            let sha = digest["sha256"] as? String
            if let sha, !isSHA256(sha) { throw .statement(path: path, field: "subject[\(index)].digest.sha256", reason: "not 64 lower-case hex digits") }
            subjects.append(Subject(name: entry["name"] as? String, sha256: sha))
        }
        guard let predicateType = top["predicateType"] as? String, !predicateType.isEmpty else {
            throw .statement(path: path, field: "predicateType", reason: "missing or not a string")
        }
        guard let predicate = top["predicate"] as? [String: Any] else {
            throw .statement(path: path, field: "predicate", reason: "missing or not an object")
        }
        var summary = StatementSummary(subjects: subjects, predicateType: predicateType, verdict: nil, policySetDigest: nil, inheritsFrom: [])
        switch predicateType {
        case auditPredicate:
            if let outcome = predicate["outcome"] as? [String: Any], let verdict = outcome["verdict"] as? String,
               ["pass", "fail"].contains(verdict) {
                summary.verdict = verdict.uppercased()
            }
            summary.policySetDigest = (predicate["policy_set"] as? [String: Any])?["digest"] as? String
            summary.inheritsFrom = predicate["inherits_from"] as? [String] ?? []
        case cyclonedxPredicate:
            let metadata = predicate["metadata"] as? [String: Any]
            let properties = metadata?["properties"] as? [[String: Any]] ?? []
            summary.policySetDigest = properties.first { $0["name"] as? String == "pedigree:policy_set.digest" }?["value"] as? String
            let componentProperties = (metadata?["component"] as? [String: Any])?["properties"] as? [[String: Any]] ?? []
            summary.verdict = componentProperties.first { $0["name"] as? String == "pedigree:verdict" }?["value"] as? String
            let inherits = componentProperties.first { $0["name"] as? String == "pedigree:inherits_from" }?["value"] as? String
            summary.inheritsFrom = inherits.map { $0.split(separator: ",").map(String.init) } ?? []
        default:
            break
        }
        return summary
    }

    static func isSHA256(_ text: String) -> Bool { HexDigest.isSHA256(text) }
}
