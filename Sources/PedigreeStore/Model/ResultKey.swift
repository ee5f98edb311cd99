import Crypto
import Foundation

/// A reference as the key records it: its policy id and the SHA-256 of the model it stands
/// for (a fingerprint's source hash, a checkpoint's own hash).
public struct ReferenceIdentity: Sendable, Codable, Equatable, Hashable {
    public let id: String
    public let sha256: String
    public init(id: String, sha256: String) {
        self.id = id
        self.sha256 = sha256
    }
}

/// What makes two audits the same audit: the candidate's bytes, the policies, the
/// references and the tool. Any change to one of them re-audits; nothing else does.
public struct ResultKey: Sendable, Hashable, Codable {
    public let candidateSHA256: String
    public let policyDigest: String
    /// `id=sha256` per reference, sorted by id, comma-separated: readable in the database,
    /// and independent of the order `--ref` options were given in.
    public let referenceSet: String
    public let toolVersion: String

    public init(candidateSHA256: String, policyDigest: String, references: [ReferenceIdentity], toolVersion: String) {
        self.init(candidateSHA256: candidateSHA256, policyDigest: policyDigest,
                  referenceSet: Self.referenceSet(references), toolVersion: toolVersion)
    }

    public init(candidateSHA256: String, policyDigest: String, referenceSet: String, toolVersion: String) {
        self.candidateSHA256 = candidateSHA256
        self.policyDigest = policyDigest
        self.referenceSet = referenceSet
        self.toolVersion = toolVersion
    }

    public static func referenceSet(_ references: [ReferenceIdentity]) -> String {
        references.sorted { $0.id < $1.id }.map { "\($0.id)=\($0.sha256)" }.joined(separator: ",")
    }

    /// One column to index and join on: SHA-256 over the four parts, NUL-separated (no part
    /// can contain NUL, so different keys never collide by concatenation).
    public var digest: String {
        let joined = [candidateSHA256, policyDigest, referenceSet, toolVersion].joined(separator: "\u{0}")
        return SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
