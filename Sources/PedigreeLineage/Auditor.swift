import PedigreeCompute
import PedigreePolicy

/// The lineage layer's entry point: from a compare result, the policies and (optionally)
/// a release manifest, the complete `AuditReport`.
public enum Auditor {
    public struct Input: Sendable {
        public var compare: CompareResult
        public var policies: PolicySet
        public var manifest: ReleaseManifest?
        public var manifestPath: String?

        public init(compare: CompareResult, policies: PolicySet, manifest: ReleaseManifest? = nil, manifestPath: String? = nil) {
            self.compare = compare
            self.policies = policies
            self.manifest = manifest
            self.manifestPath = manifestPath
        }
    }

    public static func audit(_ input: Input) -> AuditReport {
        let policies = input.policies
        let compare = input.compare
        let classifier = LineageClassifier(settings: policies.classification, policies: policies)
        let bands = classifier.bands
        var decision = classifier.classify(compare)
        // A file the policies record is that model, whatever was compared (a re-upload
        // audited without its reference must not come out as something else).
        let knownFile = compare.references.contains { $0.sha256 != nil && $0.sha256?.lowercased() == compare.candidate.sha256?.lowercased() }
            ? nil : DeclaredLineageFindings.knownFile(compare.candidate.sha256, policies: policies)
        if let knownFile, !decision.inherited.contains(where: { $0.id == knownFile.id }) {
            decision.inherited.append(.init(id: knownFile.id, evidence: [Evidence(
                rule: .identicalFile, detail: "the candidate's SHA-256 is a file the policies record for \(knownFile.id)", figures: [:], band: nil)]))
        }

        let inheritance = expand(decision, policies: policies)
        let inheritedIds = inheritance.map(\.id)
        let obligations = ObligationEvaluator.evaluate(
            inherited: decision.inherited.map(\.id).filter { policies.model($0) != nil }, policies: policies, manifest: input.manifest)
        let findings = ReleaseFindings.findings(
            decision: decision, policies: policies, manifest: input.manifest,
            referenceIds: compare.references.map(\.id))
            + ReleaseFindings.identity(compare)
            + ReleaseFindings.subtraction(compare, policies: policies)
            + ReleaseFindings.coverage(compare.coverage, minimum: policies.classification.coverage.minimumParameterFraction,
                                       scope: input.manifest?.scope)
            + (knownFile.map { [$0.finding] } ?? [])
            + ReleaseFindings.reversedChange(compare, inherited: decision.inherited.map(\.id), policies: policies)
            + ReleaseFindings.transform(compare.transform, policies: policies)
        let declared = compare.declared.map {
            DeclaredLineageResolver(policies: policies).report($0, inherited: inheritedIds, compared: compare.references.map(\.id))
        }
        let declaredFindings = DeclaredLineageFindings.findings(
            declared, declaresLineage: compare.declared?.declaresLineage ?? false, directlyInherited: decision.inherited.map(\.id),
            policies: policies, manifest: input.manifest)

        let references = compare.references.map { ref in
            ReferenceVerdict(
                id: ref.id, name: policies.model(ref.id)?.name, path: ref.path, sha256: ref.sha256, kind: ref.kind,
                meanCosine: ref.meanCosine, interval: ref.interval, band: bands.band(ref.meanCosine),
                borderline: bands.isBorderline(ref.meanCosine, interval: ref.interval),
                components: ref.components, blocks: ref.blocks, deltas: ref.deltas)
        }
        let release = input.manifest.map { m in
            ReleaseSummary(manifestPath: input.manifestPath ?? "", name: m.name, version: m.version, file: m.file,
                           declaredBases: m.bases, licence: m.licence.id, commercialUse: m.commercialUse)
        }
        var thresholds = bands.thresholds
        if compare.attribution != nil {
            thresholds.minimumShare = policies.classification.attribution.minimumShare
            thresholds.nullShare = policies.classification.attribution.nullShare
        }
        var report = AuditReport(
            candidate: CandidateIdentity(path: compare.candidate.path, sha256: compare.candidate.sha256), release: release,
            metric: compare.metric, mode: compare.mode, thresholds: thresholds, references: references,
            baselines: compare.baselines, attribution: compare.attribution, lineage: decision.lineage, inheritsFrom: inheritedIds, inheritance: inheritance,
            obligations: obligations, findings: findings + declaredFindings,
            modelCard: ModelCardBuilder.build(decision: decision, policies: policies, manifest: input.manifest),
            outcome: outcome(obligations: obligations, findings: findings + declaredFindings, lineage: decision.lineage.status), policySet: policies.identity)
        report.coverage = compare.coverage
        report.scope = input.manifest?.scope
        report.declared = declared
        report.lora = compare.lora
        return report
    }

    /// The directly inherited references, then every ancestor the policies give them, each
    /// once, with the path that leads to it.
    static func expand(_ decision: LineageDecision, policies: PolicySet) -> [InheritedModel] {
        var result: [InheritedModel] = []
        var seen = Set<String>()
        for direct in decision.inherited where seen.insert(direct.id).inserted {
            let model = policies.model(direct.id)
            result.append(InheritedModel(id: direct.id, name: model?.name, licence: model?.licence.id, via: [direct.id], evidence: direct.evidence))
        }
        for direct in decision.inherited {
            for ancestor in policies.lineage.ancestors(of: direct.id) where seen.insert(ancestor.id).inserted {
                let model = policies.model(ancestor.id)
                let path = [direct.id] + ancestor.path.filter { $0 != direct.id }
                result.append(InheritedModel(
                    id: ancestor.id, name: model?.name, licence: model?.licence.id, via: path,
                    evidence: [Evidence(rule: .ancestorOfInherited, detail: "\(direct.id) descends from \(ancestor.id) (\(path.joined(separator: " → ")))", figures: [:], band: nil)]))
            }
        }
        return result
    }

    static func outcome(obligations: [ObligationCheck], findings: [Finding], lineage: LineageVerdict.Status) -> Outcome {
        let blocking = obligations.filter(ObligationEvaluator.blocks)
        let unmet = blocking.filter { $0.status == .unmet }.count
        let unverifiable = blocking.filter { $0.status == .unverifiable }.count
        let errors = findings.filter { $0.severity == .error }
        guard !blocking.isEmpty || !errors.isEmpty else {
            let checked = obligations.filter { $0.status == .met }.count
            return Outcome(verdict: .pass, unmet: 0, unverifiable: 0, errors: 0,
                           headline: "PASS: no unmet or unverifiable obligations",
                           summary: "Every inherited obligation that applies to this release is met (\(checked) checked).")
        }
        func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var counts: [String] = []
        if unmet > 0 { counts.append("\(unmet) unmet") }
        if unverifiable > 0 { counts.append("\(unverifiable) unverifiable") }
        var because = counts.isEmpty ? "" : counts.joined(separator: ", ") + " obligation" + (unmet + unverifiable == 1 ? "" : "s")
        if !errors.isEmpty { because += (because.isEmpty ? "" : ", ") + counted(errors.count, "finding") }
        // An unknown lineage is headlined as what it is: the obligations cannot be counted
        // when the licences that reach the weights are not known.
        let headline = lineage == .unknown
            ? "FAIL: lineage unknown; no compared reference explains these weights, so the licences that reach them are not known"
            : "FAIL: \(because)"
        var parts: [String] = []
        if unmet > 0 { parts.append(counted(unmet, "required obligation") + " unmet") }
        if unverifiable > 0 { parts.append(counted(unverifiable, "required obligation") + " unverifiable") }
        if !errors.isEmpty {
            var codes: [String] = []
            for code in errors.map(\.code.rawValue) where !codes.contains(code) { codes.append(code) }
            parts.append(counted(errors.count, "release finding") + " (\(codes.joined(separator: ", ")))")
        }
        let summary = parts.joined(separator: "; ") + "."
        return Outcome(verdict: .fail, unmet: unmet, unverifiable: unverifiable, errors: errors.count,
                       headline: headline, summary: summary.prefix(1).uppercased() + summary.dropFirst())
    }
}
