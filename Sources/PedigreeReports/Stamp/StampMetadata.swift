import Foundation
import PedigreeSupport

/// The `__metadata__` entries `pedigree stamp` writes into a checkpoint: ModelSpec keys
/// (Stability-AI/ModelSpec 1.0.1) that kohya, ComfyUI and SwarmUI read, and a compact
/// `pedigree.audit` summary that ties the file to its audit.
public enum StampMetadata {
    public static let specVersion = "1.0.1"
    /// ModelSpec: "a hash of all tensor content (ie excluding the header section), with `0x`
    /// prefix, all lowercase" — Civitai's AutoV3, formatted.
    public static let hashKey = "modelspec.hash_sha256"
    public static let licenceKey = "modelspec.license"
    public static let mergedFromKey = "modelspec.merged_from"
    public static let auditKey = "pedigree.audit"
    /// The hash value before the data has been read: the same length as the real one, so
    /// the header can be patched in place once the copy is done.
    public static let hashPlaceholder = "0x" + String(repeating: "0", count: 64)

    public static func hashValue(autov3 hex: String) -> String { "0x" + hex.lowercased() }

    /// What the checkpoint is, when the stamp should fill ModelSpec's required keys.
    public struct Identity: Sendable {
        /// ModelSpec architecture id, e.g. `stable-diffusion-xl-v1-base`; nil when unknown
        /// (then the required keys are not filled in, since they would be guesses).
        public var architecture: String?
        /// Title to use when the file has none.
        public var title: String
        public init(architecture: String?, title: String) {
            self.architecture = architecture
            self.title = title
        }
    }

    /// The new metadata: the existing entries (unless `replace`), then ModelSpec's required
    /// keys where missing, then the audit's keys, which always win.
    public static func entries(audit: AuditDocument, existing: [String: String], replace: Bool, identity: Identity) -> [String: String] {
        var metadata = replace ? [:] : existing
        if let architecture = identity.architecture {
            let required = [
                "modelspec.sai_model_spec": specVersion, "modelspec.architecture": architecture,
                "modelspec.implementation": "sgm", "modelspec.title": identity.title, "modelspec.resolution": "1024x1024",
            ]
            for (key, value) in required where metadata[key] == nil { metadata[key] = value }
        }
        if let licence = licence(audit) { metadata[licenceKey] = licence }
        if let mergedFrom = mergedFrom(audit) { metadata[mergedFromKey] = mergedFrom }
        metadata[hashKey] = hashPlaceholder
        metadata[auditKey] = summary(audit)
        return metadata
    }

    /// The licence the weights carry, as the audit's model card names it (ModelSpec allows
    /// a name, a link, or both).
    static func licence(_ audit: AuditDocument) -> String? {
        let card = audit.modelCard
        let name = card.license == "other" ? (card.licenseName ?? card.license) : (card.license ?? card.licenseName)
        guard let name else { return nil }
        return card.licenseLink.map { "\(name) (\($0))" } ?? name
    }

    /// ModelSpec's `merged_from` ("if the model was created by merging … a comma-separated
    /// list of the source models"): the measured bases and the declared ones, when the audit
    /// measured a merge or the maker declares more than one base. A fine-tune gets none,
    /// as the specification reads a missing key as "trained, not merged".
    static func mergedFrom(_ audit: AuditDocument) -> String? {
        let declared = audit.release?.declaredBases ?? []
        guard audit.lineage.relation == .merge || declared.count > 1 else { return nil }
        var ids: [String] = []
        for id in audit.measuredBases + declared where !ids.contains(id) { ids.append(id) }
        guard !ids.isEmpty else { return nil }
        // Names are the readable form UIs show; a comma inside one would split the list.
        return ids.map { (audit.displayName(of: $0) ?? $0).replacingOccurrences(of: ",", with: " ") }.joined(separator: ", ")
    }

    /// The compact summary (`pedigree.stamp/1`): sorted keys, no whitespace.
    public static func summary(_ audit: AuditDocument) -> String {
        var lineage: [String: Any] = ["status": audit.lineage.status.rawValue]
        if let relation = audit.lineage.relation { lineage["relation"] = relation.rawValue }
        if let base = audit.lineage.likelyBase { lineage["likely_base"] = base }
        var object: [String: Any] = [
            "schema": "pedigree.stamp/1",
            "verdict": audit.verdict.word,
            "inherits_from": audit.inheritsFrom,
            "declared_bases": audit.release?.declaredBases ?? [],
            "lineage": lineage,
            "audit_sha256": audit.sourceDigest,
            "tool": ["name": audit.tool?.name ?? ToolInfo.name, "version": audit.tool?.version ?? ToolInfo.version],
        ]
        if let sha = audit.candidate.sha256 { object["audited_sha256"] = sha }
        if let digest = audit.policySet?.digest.hex { object["policy_set_digest"] = digest }
        let data = (try? PedigreeJSON.data(withJSONObject: object, layout: .compact)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The fields of a stamp read back from a file's metadata, to tie a stamped copy to
    /// the audit of its original.
    public struct Stamp: Sendable, Equatable {
        public var auditedSHA256: String?
        public var auditSHA256: String?
        public var policySetDigest: String?
        public var verdict: String?
    }

    public static func readStamp(_ metadata: [String: String]) -> Stamp? {
        guard let text = metadata[auditKey],
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return Stamp(auditedSHA256: object["audited_sha256"] as? String, auditSHA256: object["audit_sha256"] as? String,
                     policySetDigest: object["policy_set_digest"] as? String, verdict: object["verdict"] as? String)
    }
}
