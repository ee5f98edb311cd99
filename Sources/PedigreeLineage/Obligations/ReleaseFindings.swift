import PedigreePolicy

/// Release-level problems beyond single obligations. Codes are stable (LN001…).
public enum ReleaseFindings {
    public static let error = "error"
    public static let warning = "warning"

    public static func findings(
        decision: LineageDecision, policies: PolicySet, manifest: ReleaseManifest?, referenceIds: [String]
    ) -> [Finding] {
        var findings: [Finding] = []
        if decision.status == .unknown {
            findings.append(Finding(code: "LN004", severity: error, message: "lineage unknown: no reference is within the bands, so Pedigree cannot tell which licences reach this checkpoint; compare it with the bases it was built from"))
        }
        for id in referenceIds where policies.model(id) == nil {
            findings.append(Finding(code: "LN005", severity: warning, message: "reference '\(id)' is not a model in the policies: its licence is unknown to Pedigree"))
        }
        for id in decision.inherited.map(\.id) where policies.model(id) == nil {
            findings.append(Finding(code: "LN007", severity: error, message: "the checkpoint descends from '\(id)', which the policies do not describe: its obligations cannot be checked"))
        }
        if decision.borderline {
            findings.append(Finding(code: "LN006", severity: warning, message: "borderline verdict: a figure sits within the margin of a threshold or of another reference; the stricter reading was applied where it mattered"))
        }
        guard let manifest else { return findings }

        // A detected base the manifest does not declare (a declared descendant covers its ancestors).
        let declared = Set(manifest.bases)
        for id in decision.inherited.map(\.id) where !declared.contains(id) {
            let coveredByDeclared = declared.contains { policies.lineage.isAncestor(id, of: $0) }
            if !coveredByDeclared {
                findings.append(Finding(code: "LN001", severity: error, message: "detected base '\(id)' is not declared in the manifest's bases (\(manifest.bases.joined(separator: ", ")))"))
            }
        }
        // The chosen licence against every licence that reaches the checkpoint.
        var reported = Set<String>()
        var commercialReported = false
        for id in decision.inherited.map(\.id) where policies.model(id) != nil {
            for check in DerivativeLicenceCheck.check(chosen: manifest.licence.id, for: id, in: policies)
            where check.verdict != .allowed && reported.insert(check.sourceLicence).inserted {
                let severity = check.verdict == .notAllowed ? error : warning
                let verb = check.verdict == .notAllowed ? "is not allowed" : "needs review"
                findings.append(Finding(code: check.verdict == .notAllowed ? "LN002" : "LN008", severity: severity,
                                        message: "chosen licence '\(manifest.licence.id)' \(verb): \(check.reason)"))
            }
            let commercial = DerivativeLicenceCheck.commercialUse(for: id, in: policies)
            if manifest.commercialUse, commercial.status == .forbidden, !commercialReported {
                commercialReported = true
                findings.append(Finding(code: "LN003", severity: error, message: "commercial use is intended but \(commercial.from ?? "an inherited licence") forbids it"))
            }
        }
        return findings
    }
}
