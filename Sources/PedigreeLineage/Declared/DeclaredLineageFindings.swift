import PedigreeCompute
import PedigreeFormat
import PedigreePolicy

/// The findings that read a file's claims about itself against its weights and its
/// release manifest (LN015–LN017), and its hash against the models the policies know (LN018).
public enum DeclaredLineageFindings {
    /// LN015 for each declared model the weights contradict; LN016 for each declared model
    /// (resolved in the policies) the manifest's bases leave out; LN017 for each model the
    /// weights show that the file, though it declares a lineage, does not name.
    public static func findings(_ report: DeclaredLineageReport?, declaresLineage: Bool, directlyInherited: [String],
                                policies: PolicySet, manifest: ReleaseManifest?) -> [Finding] {
        guard let report else { return [] }
        var findings: [Finding] = []
        var seen = Set<String>()
        for resolved in report.models {
            guard let id = resolved.policyId, seen.insert(id).inserted else { continue }
            let name = policies.model(id)?.name ?? id
            let said = describe(resolved.declared)
            if resolved.status == .contradicted {
                findings.append(Finding(.declaredModelContradicted, "The file declares \(name) (\(said)), and the weights compared do not show it: the recipe embedded in the file may be stale, copied from another file, or describe a merge whose share of \(name) is too small to measure. The verdict follows the weights; correct or remove the claim before publishing."))
            }
            if let manifest, !manifest.bases.contains(where: { $0 == id || policies.lineage.isAncestor(id, of: $0) }) {
                findings.append(Finding(.declaredModelNotInManifest, "The file's own metadata names \(name) (\(said)), but the release manifest's bases (\(manifest.bases.joined(separator: ", "))) do not include it or any model descending from it. Declare \(id) as a base, or, if the claim is wrong, remove it from the file's metadata before publishing."))
            }
        }
        guard declaresLineage else { return findings }
        let covered = Set(report.models.compactMap(\.policyId))
        let unresolved = report.models.filter { $0.policyId == nil }.map { describe($0.declared) }
        for id in directlyInherited where !covered.contains(where: { $0 == id || policies.lineage.isAncestor(id, of: $0) }) {
            let name = policies.model(id)?.name ?? id
            let declaredText = report.models.isEmpty
                ? "its ModelSpec block names no model it was merged from (ModelSpec presumes such a model \"uniquely trained\")"
                : "its metadata names only " + report.models.map { describe($0.declared) }.joined(separator: "; ")
            let unknown = unresolved.isEmpty ? "" : " Of those, the policies do not know \(unresolved.joined(separator: "; ")), which may itself carry \(name)."
            findings.append(Finding(.measuredModelUndeclared, "The weights show \(name), but \(declaredText).\(unknown) A lineage left out of a file's metadata travels with every copy of the file: name \(name) in it (ModelSpec `modelspec.merged_from`)."))
        }
        return findings
    }

    /// LN018: the candidate's SHA-256 is a file the policies record for a model, or its
    /// AutoV2 (the SHA-256's first 10 digits) is one they record where they have no SHA-256.
    public static func knownFile(_ candidateSHA256: String?, policies: PolicySet) -> (id: String, finding: Finding)? {
        guard let digest = candidateSHA256?.lowercased(), digest.count == 64 else { return nil }
        func finding(_ model: BaseModel, _ how: String) -> (id: String, finding: Finding) {
            (model.id, Finding(.identicalToKnownModel, "The checkpoint is byte for byte \(model.name) (\(how), a file the policies record for \(model.id)): it is that model re-published, whatever the comparison shows, and \(model.id)'s licence applies to it as is. Publish it only as that licence allows redistributing \(model.id) itself."))
        }
        // The same lookup `pedigree identify` and `inspect` use.
        if let match = policies.knownFiles(sha256: digest).first { return finding(match.model, "SHA-256 \(digest.prefix(12))…") }
        // A file recorded by its AutoV2 alone (no SHA-256 seen) matches on the first 10 digits.
        for model in policies.models {
            for file in model.files where file.sha256 == nil {
                if let autov2 = file.autov2?.lowercased(), autov2.count == 10, digest.hasPrefix(autov2) {
                    return finding(model, "AutoV2 \(autov2.uppercased())")
                }
            }
        }
        return nil
    }

    /// "primary, SHA-256 1a2b3c4d5e6f…" or "merged from, “NoobAI-XL-v1.0”": the claim in the file's words.
    static func describe(_ model: DeclaredModel) -> String {
        var parts = ["\(model.source.rawValue) \(model.role)"]
        if let name = model.name { parts.append("“\(name)”") }
        if let sha = model.sha256 { parts.append("SHA-256 \(sha.prefix(12))…") } else if let short = model.shortHash { parts.append("hash \(short)") }
        return parts.joined(separator: " ")
    }
}
