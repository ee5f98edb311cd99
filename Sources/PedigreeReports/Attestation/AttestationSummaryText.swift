import PedigreeSupport

/// What `pedigree attest` prints once the envelope is written: where it went, what it is
/// about, what it carries and which key signed it. Policy and audit fields are other
/// people's text, so every line is escaped for the terminal.
public enum AttestationSummaryText {
    public static func render(output: String, subject: InTotoStatement.Subject, link: AuditLink,
                              predicate: InTotoStatement.Predicate, audit: AuditDocument, keyID: String) -> String {
        [
            "attestation: \(output)",
            "  subject:   \(subject.name) sha256 \(subject.digest["sha256"] ?? "") (\(link.rawValue))",
            "  predicate: \(predicate.typeURI), verdict \(audit.verdict)" + (audit.policySet.map { ", policy set \($0.digest)" } ?? ""),
            "  key id:    \(keyID)",
        ].map(TerminalEscaping.escape).joined(separator: "\n")
    }
}
