import Foundation
import PedigreeAttest
import PedigreeSupport

/// How `pedigree verify` shows its result: one line per check, then what was attested.
/// Statement fields are signed but still other people's text, so they are sanitised.
public enum VerificationText {
    public static func text(_ result: Verification, file: String) -> String {
        var lines = [(result.valid ? "VALID  " : "INVALID  ") + file]
        for check in result.results {
            lines.append("  \(check.passed ? "ok  " : "FAIL") \(check.check.rawValue): \(check.detail)")
        }
        if result.valid, let statement = result.statement {
            lines.append("  attested: \(statement.predicateType)")
            if let verdict = statement.verdict { lines.append("  audit verdict: \(verdict)") }
            if !statement.inheritsFrom.isEmpty { lines.append("  inherits from: \(statement.inheritsFrom.joined(separator: ", "))") }
            if let digest = statement.policySetDigest { lines.append("  policy set: \(digest)") }
        }
        return lines.map(TerminalEscaping.escape).joined(separator: "\n")
    }

    public static func json(_ result: Verification) -> String {
        var object: [String: Any] = [
            "valid": result.valid,
            "file_sha256": result.fileSHA256,
            "keyid": result.keyid,
            "checks": result.results.map { ["check": $0.check.rawValue, "passed": $0.passed, "detail": $0.detail] },
        ]
        if result.valid, let statement = result.statement {
            var attested: [String: Any] = ["predicate_type": statement.predicateType, "inherits_from": statement.inheritsFrom]
            if let verdict = statement.verdict { attested["verdict"] = verdict }
            if let digest = statement.policySetDigest { attested["policy_set_digest"] = digest }
            object["attested"] = attested
        }
        let data = (try? PedigreeJSON.data(withJSONObject: object)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
