import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import Testing

/// Each attribution rule on hand-made figures, so a change to one rule shows here first.
struct AttributionRulesTests {
    static let settings = AttributionSettings.default
    static let rules = AttributionRules(settings: settings, bands: BandClassifier(settings: .default))

    static func part(_ name: String, _ share: Double?, _ half: Double? = 0.02) -> AttributionPart {
        AttributionPart(name: name, share: share, interval: share.flatMap { s in half.map { IntervalPair(low: s - $0, high: s + $0) } }, estimator: .dense)
    }

    static func noob(whole: Double, half: Double? = 0.02, unet: Double? = nil, clip: Double? = nil, groups: [(String, Double, Double)] = []) -> ReferenceAttribution {
        ReferenceAttribution(
            id: "noobai-xl-eps-1.0", ancestor: "illustrious-xl-v0.1", share: whole,
            interval: half.map { IntervalPair(low: whole - $0, high: whole + $0) }, estimator: .dense, denseShare: whole, supportShare: nil,
            components: [part("unet", unet ?? whole), part("clip_l", clip ?? whole), part("clip_g", clip ?? whole)],
            blocks: [], groups: groups.map { AttributionPart(name: $0.0, share: $0.1, interval: IntervalPair(low: $0.1 - $0.2, high: $0.1 + $0.2), estimator: .dense) })
    }

    static func figures(_ references: [ReferenceAttribution]) -> AttributionFigures {
        AttributionFigures(roots: ["illustrious-xl-v0.1"], references: references, unexplained: 0.1, unexplainedInterval: nil,
                           support: nil, intervalMethod: "test")
    }

    @Test func aShareWhoseIntervalClearsTheMinimumIsInherited() {
        let found = Self.rules.credibleInheritance(Self.figures([Self.noob(whole: 0.25)]))
        #expect(found.map(\.id) == ["noobai-xl-eps-1.0"])
        #expect(found[0].clearing.first?.scope == .model)
    }

    @Test func theNullDoesNotClear() {
        // An independent fine-tune on similar data: 15% projection, even with a tight interval.
        #expect(Self.rules.credibleInheritance(Self.figures([Self.noob(whole: 0.15, half: 0.005)])).isEmpty)
    }

    @Test func aShareWithoutAnIntervalNeverClears() {
        #expect(Self.rules.credibleInheritance(Self.figures([Self.noob(whole: 0.9, half: nil, unet: 0.9, clip: 0.9)].map { reference in
            var copy = reference
            copy.components = copy.components.map { AttributionPart(name: $0.name, share: $0.share, interval: nil, estimator: .dense) }
            return copy
        })).isEmpty)
    }

    @Test func aTextEncoderTransplantClearsInItsComponents() {
        let found = Self.rules.credibleInheritance(Self.figures([Self.noob(whole: 0.08, unet: 0.0, clip: 1.0)]))
        #expect(found.first?.clearing.map(\.scope) == [.component("clip_l"), .component("clip_g")])
    }

    @Test func aBlockMergeClearsInItsGroup() {
        let found = Self.rules.credibleInheritance(Self.figures([Self.noob(whole: 0.12, unet: 0.12, clip: 0.0, groups: [("unet-middle", 0.95, 0.05), ("unet-input-shallow", 0.01, 0.03)])]))
        #expect(found.first?.clearing.map(\.scope) == [.group("unet-middle")])
    }

    @Test func anEstimateAtTheMinimumWithAWideIntervalIsInconclusive() {
        let figures = Self.figures([Self.noob(whole: 0.22, half: 0.06, unet: 0.1, clip: 0.1)])
        let found = Self.rules.credibleInheritance(figures)
        #expect(found.isEmpty)
        let open = Self.rules.inconclusiveReferences(figures, inherited: found)
        #expect(open.map(\.id) == ["noobai-xl-eps-1.0"])
        #expect(open.first?.measured.scope == .model)
    }

    @Test func anUnresolvedShareIsNotInconclusive() {
        // A small block group where NoobAI's change is faint: 23% [-187%, 233%] says nothing;
        // 19% [16%, 22%] could have cleared and did not.
        let wide = AttributionRules.Measured(scope: .group("unet-input-shallow"), share: 0.23, interval: IntervalPair(low: -1.87, high: 2.33))
        let narrow = AttributionRules.Measured(scope: .group("unet-middle"), share: 0.19, interval: IntervalPair(low: 0.16, high: 0.22))
        #expect(!Self.rules.resolves(wide))
        #expect(Self.rules.resolves(narrow))
        var reference = Self.noob(whole: 0.02, half: 0.01, unet: 0.02, clip: 0.01)
        reference.groups = [AttributionPart(name: "unet-input-shallow", share: 0.23, interval: wide.interval, estimator: .dense)]
        #expect(Self.rules.inconclusiveReferences(Self.figures([reference]), inherited: []).isEmpty)
        reference.groups.append(AttributionPart(name: "unet-middle", share: 0.19, interval: narrow.interval, estimator: .dense))
        #expect(Self.rules.inconclusiveReferences(Self.figures([reference]), inherited: []).map(\.measured.scope) == [.group("unet-middle")])
    }

    @Test func rootLineNeedsCloseness() {
        let figures = Self.figures([Self.noob(whole: 0.0)])
        let close = [ReferenceFigures(id: "illustrious-xl-v0.1", meanCosine: 0.985)]
        let far = [ReferenceFigures(id: "illustrious-xl-v0.1", meanCosine: 0.12)]
        #expect(Self.rules.rootLine(figures, references: close)?.id == "illustrious-xl-v0.1")
        #expect(Self.rules.rootLine(figures, references: far) == nil)
    }

    @Test func relationFollowsTheFineTuneShare() {
        func inheritance(_ share: Double) -> AttributionRules.Inheritance {
            .init(id: "n", ancestor: "i", whole: .init(scope: .model, share: share, interval: nil), clearing: [])
        }
        #expect(Self.rules.relation(mostSpecific: inheritance(0.97), inheritedCount: 2, lines: 1) == .finetune)
        #expect(Self.rules.relation(mostSpecific: inheritance(0.6), inheritedCount: 2, lines: 1) == .merge)
        #expect(Self.rules.relation(mostSpecific: inheritance(0.97), inheritedCount: 3, lines: 2) == .merge)
        #expect(Self.rules.relation(mostSpecific: nil, inheritedCount: 0, lines: 0) == .unknown)
    }
}

/// The classifier end to end on attribution figures: the verdict follows the shares, never
/// the cosine bands, and the summary says where the inherited change sits.
struct AttributionClassifierTests {
    static func result(cosines: [(String, Double)], attribution: AttributionFigures) -> CompareResult {
        var result = CompareResult.headline(candidate: "c.safetensors", references: cosines, baselines: [])
        result.attribution = attribution
        return result
    }

    static let classifier = LineageClassifier(settings: ShippedPolicies.set.classification, policies: ShippedPolicies.set)

    @Test func aDAREMergeBelowEveryBandIsStillNoobAI() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.6)])
        let decision = Self.classifier.classify(Self.result(cosines: [("illustrious-xl-v0.1", 0.86), ("noobai-xl-eps-1.0", 0.88)], attribution: figures))
        #expect(decision.lineage.status == .identified)
        #expect(decision.inherited.map(\.id) == ["noobai-xl-eps-1.0"])
        #expect(decision.lineage.relation == .merge)
        #expect(decision.lineage.summary.hasPrefix("A merge carrying 60% [58–62%] of noobai-xl-eps-1.0's change from illustrious-xl-v0.1"))
    }

    @Test func aTransplantSaysWhereTheChangeSits() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.08, unet: 0.0, clip: 1.0)])
        let decision = Self.classifier.classify(Self.result(cosines: [("illustrious-xl-v0.1", 0.99), ("noobai-xl-eps-1.0", 0.96)], attribution: figures))
        #expect(decision.inherited.map(\.id) == ["noobai-xl-eps-1.0"])
        #expect(decision.lineage.summary.contains("noobai-xl-eps-1.0's change sits in clip_l (100%) and clip_g (100%), none in unet (0%)"), "\(decision.lineage.summary)")
        #expect(decision.lineage.summary.contains("By the article's cosine bands alone it would read as illustrious-xl-v0.1"))
    }

    @Test func aCleanFineTuneDescendsFromTheRootOnly() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.03)])
        let decision = Self.classifier.classify(Self.result(cosines: [("illustrious-xl-v0.1", 0.987), ("noobai-xl-eps-1.0", 0.945)], attribution: figures))
        #expect(decision.inherited.map(\.id) == ["illustrious-xl-v0.1"])
        #expect(decision.inherited[0].evidence[0].rule == .rootLine)
        #expect(decision.inconclusive.isEmpty)
    }

    @Test func farFromEverythingAndCarryingNothingIsUnknown() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.01)])
        let decision = Self.classifier.classify(Self.result(cosines: [("illustrious-xl-v0.1", 0.01), ("noobai-xl-eps-1.0", 0.02)], attribution: figures))
        #expect(decision.lineage.status == .unknown)
        #expect(decision.lineage.summary.hasPrefix("Lineage unknown"))
    }

    @Test func inconclusiveSharesAreFindings() {
        let figures = AttributionRulesTests.figures([AttributionRulesTests.noob(whole: 0.22, half: 0.06, unet: 0.1, clip: 0.1)])
        let report = Auditor.audit(.init(compare: Self.result(cosines: [("illustrious-xl-v0.1", 0.98), ("noobai-xl-eps-1.0", 0.97)], attribution: figures),
                                         policies: ShippedPolicies.set))
        #expect(report.findings.contains { $0.code == .attributionInconclusive && $0.severity == .error })
        #expect(report.outcome.verdict == .fail)
        #expect(!report.inheritsFrom.contains("noobai-xl-eps-1.0"))
    }
}
