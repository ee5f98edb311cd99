import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import Testing

/// Which references an audit must compare for its verdict to stand (`CoverageRules`), on the
/// shipped policies' lineage: SDXL → Kohaku → Illustrious 0.1 → {NoobAI eps 1.0 → eps 1.1,
/// v-pred; Illustrious 1.0 → 1.1 → 2.0}.
struct CoverageRulesTests {
    static let policies = ShippedPolicies.set
    static let classifier = LineageClassifier(settings: policies.classification, policies: policies)

    /// A compare result from weights (references of kind `checkpoint`).
    static func fromWeights(_ cosines: [(String, Double)]) -> CompareResult {
        var result = CompareResult.headline(candidate: "c.safetensors", references: cosines, baselines: [])
        for index in result.references.indices { result.references[index].kind = .checkpoint }
        return result
    }

    @Test func aReferenceWithNoComparedAncestorIsUnverifiable() {
        let rules = CoverageRules(policies: Self.policies, compared: ["noobai-xl-eps-1.0"])
        #expect(rules.missingAncestor(of: "noobai-xl-eps-1.0") == "illustrious-xl-v0.1")
        // Any compared ancestor will do: an uncompared model between (Kohaku) only widens
        // the measured change.
        let withSDXL = CoverageRules(policies: Self.policies, compared: ["sdxl-base-1.0", "illustrious-xl-v0.1"])
        #expect(withSDXL.missingAncestor(of: "illustrious-xl-v0.1") == nil)
        #expect(withSDXL.missingAncestor(of: "sdxl-base-1.0") == nil, "a root has no ancestor to miss")
    }

    @Test func descendantsUnderAnotherLicenceMustBeCompared() {
        let rules = CoverageRules(policies: Self.policies, compared: ["sdxl-base-1.0", "illustrious-xl-v0.1"])
        let missing = rules.missingDescendants(of: ["illustrious-xl-v0.1"]).map(\.id)
        #expect(missing.contains("noobai-xl-eps-1.0"))
        #expect(missing.contains("illustrious-xl-v2.0"))
        // With NoobAI eps 1.0 and Illustrious 2.0 compared, their descendants under the same
        // licence (eps 1.1, v-pred) and the models between (Illustrious 1.0, 1.1, covered by
        // 2.0, whose change holds theirs) leave nothing missing.
        let full = CoverageRules(policies: Self.policies, compared: ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"])
        #expect(full.missingDescendants(of: ["illustrious-xl-v0.1"]).isEmpty)
        #expect(full.missingDescendants(of: ["noobai-xl-eps-1.0"]).isEmpty)
    }

    @Test func aCleanFineTuneAuditedAgainstNoobAIAloneIsNotCalledNoobAI() {
        let decision = Self.classifier.classify(Self.fromWeights([("noobai-xl-eps-1.0", 0.945)]))
        #expect(!decision.inherited.map(\.id).contains("noobai-xl-eps-1.0"))
        #expect(decision.inherited.map(\.id) == ["illustrious-xl-v0.1"])
        #expect(decision.coverage.unverifiable.map(\.reference) == ["noobai-xl-eps-1.0"])
        let report = Auditor.audit(.init(compare: Self.fromWeights([("noobai-xl-eps-1.0", 0.945)]), policies: Self.policies))
        #expect(report.findings.contains { $0.code == .ancestorNotCompared && $0.message.contains("--ref illustrious-xl-v0.1=") })
        #expect(report.outcome.verdict == .fail)
    }

    @Test func aNoobAIMergeAuditedAgainstIllustriousAloneCannotPass() {
        let report = Auditor.audit(.init(compare: Self.fromWeights([("sdxl-base-1.0", 0.80), ("illustrious-xl-v0.1", 0.97)]), policies: Self.policies))
        let notCompared = report.findings.filter { $0.code == .referenceNotCompared }
        #expect(notCompared.contains { $0.message.hasPrefix("Not compared: noobai-xl-eps-1.0 (licence noobai-xl-licence)") })
        #expect(notCompared.allSatisfy { $0.severity == .error })
        #expect(report.outcome.verdict == .fail)
    }

    @Test func theArticlesPublishedNumbersKeepTheirReadingWithTheGapsAsFindings() {
        // Published headline figures: Illustrious 0.1 without its ancestors stays the base.
        let published = CompareResult.headline(candidate: "x", references: [("illustrious-xl-v0.1", 0.98), ("noobai-xl-eps-1.0", 0.95)], baselines: [])
        let decision = Self.classifier.classify(published)
        #expect(decision.inherited.map(\.id) == ["illustrious-xl-v0.1"])
        #expect(decision.coverage.unverifiable.map(\.reference) == ["illustrious-xl-v0.1"])
    }

    @Test func aFullyComparedAuditHasNoGaps() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.03)])
        var result = Self.fromWeights([("sdxl-base-1.0", 0.8), ("illustrious-xl-v0.1", 0.987), ("illustrious-xl-v2.0", 0.95), ("noobai-xl-eps-1.0", 0.945)])
        result.attribution = figures
        let decision = Self.classifier.classify(result)
        #expect(decision.coverage.isEmpty)
        #expect(decision.inherited.map(\.id) == ["illustrious-xl-v0.1"])
    }
}
