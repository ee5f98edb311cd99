import Foundation
import PedigreeCompute
import PedigreePolicy

/// Release-level problems beyond single obligations. Every message is a whole sentence that
/// says what was found and what to do. Codes and severities: `FindingCode`.
public enum ReleaseFindings {
    public static func findings(
        decision: LineageDecision, policies: PolicySet, manifest: ReleaseManifest?, referenceIds: [String]
    ) -> [Finding] {
        var findings: [Finding] = []
        if decision.lineage.status == .unknown {
            findings.append(Finding(.lineageUnknown, "Lineage unknown: no compared reference explains these weights, so Pedigree cannot tell which licences reach this checkpoint. Compare it with the bases it was built from (add them with --ref)."))
        }
        for open in decision.inconclusive {
            let interval = open.interval.map { " [\(Percent.interval($0))]" } ?? " (no interval)"
            switch open.basis {
            case .share:
                findings.append(Finding(.attributionInconclusive, "The share of \(open.id)'s change in \(open.scope) is \(Percent.share(open.share))\(interval): it reaches the policy's minimum but its interval does not clear it, so inheritance from \(open.id) can be neither shown nor ruled out. Audit against the full \(open.id) checkpoint rather than a fingerprint, or declare \(open.id) as a base and meet its obligations."))
            case .copiedStructure:
                findings.append(Finding(.attributionInconclusive, "The share of \(open.id)'s change beyond its dominant directions in \(open.scope) is \(Percent.fine(open.share))\(interval): above the policy's floor, but not clearly above it and the null observed on an independent sibling, so a copy of \(open.id)'s weights can be neither shown nor ruled out. Audit against the full checkpoints with \(open.id)'s siblings as references, or declare \(open.id) as a base and meet its obligations."))
            case .exactAxesUnmeasured:
                findings.append(Finding(.attributionInconclusive, "The checkpoint shares \(open.id)'s dominant directions (\(Percent.share(open.share))\(interval)) and none of the rest of its change; whether it carries them on \(open.id)'s exact axes (an extracted LoRA merged in: a copy) or in its own (training on similar data) was not measured from sampled rows. Audit against the full \(open.id) checkpoint at a size the exact projection covers, or declare \(open.id) as a base and meet its obligations."))
            }
        }
        for gap in decision.coverage.unverifiable {
            findings.append(Finding(.ancestorNotCompared, "Not compared: \(gap.parent), the parent of \(gap.reference). Without any of \(gap.reference)'s ancestors, whether the checkpoint carries \(gap.reference)'s own change is unverifiable, so \(gap.reference)'s licence is neither shown nor ruled out. Add --ref \(gap.parent)=PATH (or a fingerprint of it) and audit again."))
        }
        for gap in decision.coverage.notCompared {
            let licence = policies.model(gap.id)?.licence.id ?? "another licence"
            findings.append(Finding(.referenceNotCompared, "Not compared: \(gap.id) (licence \(licence)), which descends from \(gap.under) under another licence. Whether the checkpoint carries its change is unverifiable, and its licence would add obligations. Add --ref \(gap.id)=PATH (or a fingerprint of it) and audit again."))
        }
        for id in referenceIds where policies.model(id) == nil {
            findings.append(Finding(.referenceNotInPolicies, "Reference '\(id)' is not a model in the policies, so its licence is unknown to Pedigree. Add it under Policies/models/ or compare against a model the policies describe."))
        }
        for id in decision.inherited.map(\.id) where policies.model(id) == nil {
            findings.append(Finding(.inheritedModelNotInPolicies, "The checkpoint descends from '\(id)', which the policies do not describe, so its obligations cannot be checked. Add '\(id)' with its licence under Policies/models/."))
        }
        if decision.lineage.borderline {
            findings.append(Finding(.borderline, "Borderline verdict: a figure sits within the margin of a threshold or of another reference, and the stricter reading was applied where it mattered. Read the evidence below before relying on the verdict."))
        }
        guard let manifest else { return findings }

        // A detected base the manifest does not declare (a declared descendant covers its ancestors).
        let declared = Set(manifest.bases)
        for id in decision.inherited.map(\.id) where !declared.contains(id) {
            let coveredByDeclared = declared.contains { policies.lineage.isAncestor(id, of: $0) }
            if !coveredByDeclared {
                findings.append(Finding(.undeclaredBase, "Detected base '\(id)' is not declared in the manifest's bases (\(manifest.bases.joined(separator: ", "))). Add '\(id)' to `bases` and meet the obligations its licence carries."))
            }
        }
        // The chosen licence against every licence that reaches the checkpoint.
        var reported = Set<String>()
        var commercialReported = false
        for id in decision.inherited.map(\.id) where policies.model(id) != nil {
            for check in DerivativeLicenceCheck.check(chosen: manifest.licence.id, for: id, in: policies)
            where check.verdict != .allowed && reported.insert(check.sourceLicence).inserted {
                if check.verdict == .notAllowed {
                    findings.append(Finding(.licenceNotAllowed, "Chosen licence '\(manifest.licence.id)' is not allowed: \(check.reason). Choose a licence that \(check.sourceLicence) allows in the manifest's `licence`."))
                } else {
                    findings.append(Finding(.licenceNeedsReview, "Chosen licence '\(manifest.licence.id)' needs review: \(check.reason). Check it against \(check.sourceLicence)'s terms before publishing, or choose \(check.sourceLicence) itself."))
                }
            }
            let commercial = DerivativeLicenceCheck.commercialUse(for: id, in: policies)
            if manifest.commercialUse, commercial.status == .forbidden, !commercialReported {
                commercialReported = true
                findings.append(Finding(.commercialUseForbidden, "Commercial use is intended but \(commercial.from ?? "an inherited licence") forbids it. Set `commercial_use: false` in the manifest, or do not publish this checkpoint commercially."))
            }
        }
        return findings
    }

    /// LN012: a component in the release's scope compared below the policy's minimum share
    /// of its parameters. nil coverage (published headline numbers) is not judged.
    public static func coverage(_ coverage: TensorCoverage?, minimum: Double, scope: [String]?) -> [Finding] {
        guard let coverage else { return [] }
        let inScope = scope ?? ["unet", "clip_l", "clip_g"]
        let short = inScope.filter { (coverage.part($0)?.parameterFraction ?? 0) < minimum }
        guard !short.isEmpty else { return [] }
        let parts = inScope.map { name in "\(name) \(Percent.share(coverage.part(name)?.parameterFraction ?? 0))" }.joined(separator: ", ")
        let scopeText = scope.map { "the release's declared scope (\($0.joined(separator: ", ")))" } ?? "UNet and both text encoders"
        return [Finding(.incompleteCoverage, "Only \(coverage.tensorsCompared) of \(coverage.tensorsExpected) expected tensors were compared (\(parts) of the parameters; the policy asks for \(Percent.share(minimum)) of each component of \(scopeText)): a verdict on part of a model says nothing about the rest. Audit the complete checkpoint against complete references, or, if the release is only part of a model, declare it in the manifest (`scope: [unet]`).")]
    }

    /// LN013: the candidate's SHA-256 is a compared reference's (a fingerprint carries its
    /// source file's): it is that model, re-published, not a derivative of it.
    public static func identity(_ compare: CompareResult) -> [Finding] {
        guard let digest = compare.candidate.sha256?.lowercased(), !digest.isEmpty,
              let same = compare.references.first(where: { $0.sha256?.lowercased() == digest }) else { return [] }
        return [Finding(.identicalToReference, "The checkpoint is byte for byte \(same.id) (SHA-256 \(digest.prefix(12))…): it is that model re-published, not a derivative, and \(same.id)'s licence applies to it as is, including its terms on redistribution. Publish it only as the licence allows redistributing \(same.id) itself, credited as \(same.id).")]
    }

    /// LN014: a reference's spectral profile shows the top of its change removed, as the seed
    /// article's "un-merge" does (a rank-k LoRA of the change extracted and merged at −1).
    /// The share reported is the one beyond the subtracted rank: what the weights still carry.
    /// A warning: subtracting part of a change is no breach by itself, but it hides a lineage
    /// from the whole-change share and the seed article's cosine bands.
    public static func subtraction(_ compare: CompareResult, policies: PolicySet) -> [Finding] {
        (compare.attribution?.references ?? []).compactMap { reference in
            guard let rank = reference.subtractedRank else { return nil }
            let name = policies.model(reference.id)?.name ?? reference.id
            let whole = reference.spectral?.first { $0.rank == 0 }?.share
            let beyond = reference.share.map { Percent.share($0) } ?? "unknown"
            let wholeText = whole.map { " The whole-change share reads \(Percent.share($0)); beyond rank \(SpectralRanks.deepest) it is \(beyond), which is what the weights carry and what the verdict uses." } ?? ""
            return Finding(.subtractedChange, "\(name)'s change appears partly subtracted (rank ≤ \(rank)), as a LoRA extraction merged at negative strength would do.\(wholeText) Declare \(name) as a base: removing the top of its change does not remove the lineage.")
        }
    }
}

extension ReleaseFindings {
    /// LN019: a LoRA whose change is an inherited reference's change reversed.
    public static func reversedChange(_ compare: CompareResult, inherited: [String], policies: PolicySet) -> [Finding] {
        guard compare.lora != nil else { return [] }
        return (compare.attribution?.references ?? []).compactMap { reference in
            guard inherited.contains(reference.id), let share = reference.share, share < 0 else { return nil }
            let name = policies.model(reference.id)?.name ?? reference.id
            let interval = reference.interval.map { " [\(Percent.interval($0))]" } ?? ""
            return Finding(.reversedChange, "The LoRA's change is \(name)'s change reversed (\(Percent.share(share))\(interval) of it): applied, it removes \(name)'s change, as the seed article's \"un-NAI-ify\" LoRA does. A LoRA extracted from \(name)'s weights is made from them, whichever way it points, and carries \(name)'s licence.")
        }
    }
}

extension ReleaseFindings {
    /// LN020: the weights are a re-basin of a reference's order, undone before comparing.
    public static func transform(_ transform: TransformReport?, policies: PolicySet) -> [Finding] {
        guard let transform, transform.permutedGroups > 0 else { return [] }
        let name = policies.model(transform.reference)?.name ?? transform.reference
        let axes = transform.axes.map { "\($0.kind) (\($0.permutedGroups) of \($0.groups))" }.joined(separator: ", ")
        let before = String(format: "%.2f", transform.cosineBefore)
        let after = String(format: "%.2f", transform.cosineAfter)
        return [Finding(.permutedWeights, "The candidate's hidden units are reordered from \(name)'s order in \(transform.permutedGroups) groups: \(axes). Such a permutation (a re-basin, as sd-mecha's randperm makes) leaves the model's outputs unchanged and hides its lineage from a weight comparison: units matched their own index at a median cosine of \(before), and their matches at \(after). Pedigree put the units back before comparing, so every figure here is measured on the realigned weights. A release that permutes its weights should say why.")]
    }
}

/// The deepest rank of the spectral profile (full width), for messages.
enum SpectralRanks {
    static let deepest = SpectralPass.ranks.last ?? 0
}
