import Crypto
import Foundation
import PedigreeSupport

/// `pedigree verify`: does this envelope, signed by this key, attest this file (and,
/// if asked, this policy set)? Every check is reported, in order, so a hub can show why.
public struct Verification: Sendable, Equatable {
    public enum Check: String, Sendable, Codable {
        case signature, subject, policySet = "policy_set"
    }

    public struct Result: Sendable, Equatable {
        public var check: Check
        public var passed: Bool
        public var detail: String
    }

    public var results: [Result]
    /// The statement, once its signature verified; nil otherwise (never trust it unsigned).
    public var statement: StatementSummary?
    public var keyid: String
    public var fileSHA256: String

    public var valid: Bool { !results.isEmpty && results.allSatisfy(\.passed) }

    /// Verifies `envelope` (the bytes of the envelope file at `path`) against `key`, the
    /// SHA-256 of the file it should attest, and optionally the expected policy-set digest.
    /// Throws only on unreadable input; a mismatch is a result with `valid == false`.
    public static func verify(envelope data: Data, path: String, key: Curve25519.Signing.PublicKey,
                              fileSHA256: String, policySetDigest: String?) throws(AttestError) -> Verification {
        let envelope = try DSSE.parse(data, path: path)
        let keyid = Ed25519Keys.keyID(key)
        var report = Verification(results: [], statement: nil, keyid: keyid, fileSHA256: fileSHA256)
        guard DSSE.verifiedSignature(envelope, key: key) != nil else {
            report.results.append(.init(check: .signature, passed: false, detail: "no signature in the envelope verifies with key \(keyid.prefix(16))…"))
            return report
        }
        guard envelope.payloadType == StatementSummary.payloadType else {
            throw .envelope(path: path, field: "payloadType", reason: "'\(TerminalEscaping.excerpt(envelope.payloadType))' is not \(StatementSummary.payloadType)")
        }
        report.results.append(.init(check: .signature, passed: true, detail: "signed by key \(keyid.prefix(16))…"))
        let statement = try StatementSummary.read(envelope.payload, path: path)
        report.statement = statement
        let matches = statement.subjects.contains { $0.sha256 == fileSHA256 }
        report.results.append(.init(check: .subject, passed: matches, detail: matches
            ? "the file's SHA-256 \(fileSHA256.prefix(16))… is the statement's subject"
            : "the file's SHA-256 \(fileSHA256.prefix(16))… is not a subject of the statement (\(statement.subjects.compactMap(\.sha256).map { String($0.prefix(16)) + "…" }.joined(separator: ", ")))"))
        if let wanted = policySetDigest.map(normalisedDigest) {
            let found = statement.policySetDigest
            let same = found == wanted
            report.results.append(.init(check: .policySet, passed: same, detail: same
                ? "policy set \(wanted.prefix(16))… as required"
                : found.map { "policy set \(TerminalEscaping.excerpt($0, limit: 16)) is not the required \(wanted.prefix(16))…" } ?? "the statement records no policy-set digest"))
        }
        return report
    }

    /// Accepts `sha256:HEX` as well as `HEX`, any case.
    static func normalisedDigest(_ text: String) -> String {
        let lower = text.lowercased()
        return lower.hasPrefix("sha256:") ? String(lower.dropFirst(7)) : lower
    }
}
