import PedigreeSupport

/// How a checkpoint relates to an audit: it is the file the audit measured, or a stamped
/// copy of it (same tensor data, new metadata). Stamping and attesting refuse anything
/// else, so an audit is never attached to a file it did not examine.
public enum AuditLink: String, Sendable {
    case auditedFile = "audited-file"
    case stampedCopy = "stamped-copy"

    /// `fileSHA256` and `dataSHA256` are the checkpoint's whole-file and tensor-data (AutoV3)
    /// hashes; `metadata` its `__metadata__`.
    ///
    /// A stamped copy is recognised by its `pedigree.audit` entry naming the audited file's
    /// SHA-256 and its `modelspec.hash_sha256` matching the data it actually holds. `pedigree
    /// stamp` writes that pair only after checking the file it read was the audited one; the
    /// pair guards against mistakes (the wrong file, a re-saved copy), not against a maker
    /// forging their own metadata, which a signature over their own files cannot prevent.
    public static func check(fileSHA256: String, dataSHA256: String, metadata: [String: String],
                             audit: AuditDocument, auditPath: String, filePath: String) throws(AuditLinkError) -> AuditLink {
        guard let audited = audit.candidate.sha256 else { throw .noCandidateHash(path: auditPath) }
        if fileSHA256 == audited { return .auditedFile }
        if let stamp = StampMetadata.readStamp(metadata), stamp.auditedSHA256 == audited,
           metadata[StampMetadata.hashKey] == StampMetadata.hashValue(autov3: dataSHA256) {
            return .stampedCopy
        }
        throw .notTheAuditedFile(path: filePath, fileSHA256: fileSHA256, auditedSHA256: audited)
    }
}

public enum AuditLinkError: PedigreeError, Equatable {
    case noCandidateHash(path: String)
    case notTheAuditedFile(path: String, fileSHA256: String, auditedSHA256: String)

    public var code: String {
        switch self {
        case .noCandidateHash: "AL001"
        case .notTheAuditedFile: "AL002"
        }
    }

    public var message: String {
        switch self {
        case .noCandidateHash(let path):
            "\(path): the audit records no SHA-256 of its checkpoint (classified from published figures?), so it cannot be tied to a file"
        case .notTheAuditedFile(let path, let file, let audited):
            "\(path): SHA-256 \(file.prefix(16))… is neither the audited checkpoint (\(audited.prefix(16))…) nor a stamped copy of it; audit this file, or use the file that was audited"
        }
    }
}
