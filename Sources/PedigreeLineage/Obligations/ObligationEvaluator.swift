import PedigreePolicy

/// Checks each inherited obligation against the release manifest: met, unmet, or
/// unverifiable (no manifest, or nothing a manifest can show).
public enum ObligationEvaluator {
    public static func evaluate(
        inherited modelIds: [String], policies: PolicySet, manifest: ReleaseManifest?
    ) -> [ObligationCheck] {
        var seen = Set<String>()
        var checks: [ObligationCheck] = []
        for modelId in modelIds {
            for item in InheritedObligations.obligations(for: modelId, in: policies) {
                // The same licence reached through two inherited models is checked once.
                guard seen.insert("\(item.licenceId)/\(item.obligation.id)").inserted else { continue }
                let licenceChain = item.path.filter { $0.kind != .model }.map(\.id)
                let (status, reason) = judge(item.obligation, licenceId: item.licenceId, inheritedFrom: item.viaModel,
                                             policies: policies, manifest: manifest)
                checks.append(ObligationCheck(
                    id: item.obligation.id, licence: item.licenceId, licenceName: item.licenceName,
                    sourceModel: item.viaModel, via: licenceChain, summary: item.obligation.summary,
                    severity: item.obligation.severity, status: status, reason: reason,
                    manifestField: item.obligation.metBy.isEmpty ? nil : item.obligation.metBy.map(\.field.rawValue).joined(separator: " + ")))
            }
        }
        return checks
    }

    /// Whether an unmet or unverifiable obligation should fail the audit (exit 1):
    /// `required` ones do; `requested` ones (soft wording) and informational ones are shown only.
    public static func blocks(_ check: ObligationCheck) -> Bool {
        check.severity == .required && (check.status == .unmet || check.status == .unverifiable)
    }

    static func judge(
        _ obligation: Obligation, licenceId: String, inheritedFrom modelId: String, policies: PolicySet, manifest: ReleaseManifest?
    ) -> (ObligationCheck.Status, String) {
        if obligation.metBy.isEmpty {
            return (.notCheckable, "a duty on how the model is used, not something a release shows; it travels with the weights")
        }
        guard let manifest else {
            return (.unverifiable, "no release manifest given (--release): nothing says whether this is met")
        }
        var failures: [String] = []
        for condition in obligation.metBy {
            if let failure = check(condition, manifest: manifest, licenceId: licenceId, modelId: modelId, policies: policies) {
                failures.append(failure)
            }
        }
        if failures.isEmpty {
            return (.met, "manifest: " + obligation.metBy.map { describe($0, manifest) }.joined(separator: ", "))
        }
        return (.unmet, failures.joined(separator: "; "))
    }

    /// nil when the condition holds, else why not.
    static func check(_ condition: Obligation.MetBy, manifest: ReleaseManifest, licenceId: String, modelId: String, policies: PolicySet) -> String? {
        let field = condition.field
        switch field.kind {
        case .licence:
            let findings = DerivativeLicenceCheck.check(chosen: manifest.licence.id, for: modelId, in: policies)
                .filter { $0.sourceLicence == licenceId }
            if let problem = findings.first(where: { $0.verdict != .allowed }) {
                return "licence \(manifest.licence.id): \(problem.reason)"
            }
            return nil
        case .flag:
            let expected = condition.when == .isTrue
            guard let value = manifest.flag(field) else { return "\(field.rawValue) is not stated in the manifest" }
            return value == expected ? nil : "\(field.rawValue) is \(value), the licence needs \(expected)"
        case .disclosure:
            if field == .loras {
                guard !manifest.disclosures.loras.isEmpty else { return "loras is not disclosed" }
                for lora in manifest.disclosures.loras {
                    if let problem = DisclosureCheck.problem(lora, manifestDirectory: manifest.directory) { return "loras: \(problem)" }
                }
                return nil
            }
            guard let value = manifest.disclosures.value(for: field) else { return "\(field.rawValue) is not disclosed" }
            return DisclosureCheck.problem(value, manifestDirectory: manifest.directory).map { "\(field.rawValue): \($0)" }
        }
    }

    static func describe(_ condition: Obligation.MetBy, _ manifest: ReleaseManifest) -> String {
        switch condition.field.kind {
        case .licence: "licence \(manifest.licence.id)"
        case .flag: "\(condition.field.rawValue)=\(manifest.flag(condition.field).map(String.init) ?? "unset")"
        case .disclosure: "\(condition.field.rawValue)=\(manifest.disclosures.value(for: condition.field) ?? "")"
        }
    }
}
