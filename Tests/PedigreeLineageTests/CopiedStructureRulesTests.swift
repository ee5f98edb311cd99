import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import Testing

/// The copied-structure rule (issue 26) on hand-made evidence: the tail and the exact axes
/// decide where they were measured, the floor and the observed null bound them, and a
/// look-alike's dominant share decides nothing.
struct CopiedStructureRulesTests {
    static let rules = AttributionRulesTests.rules
    typealias Share = ScopedShare

    static func share(_ value: Double, _ half: Double, kind: ScopedShare.Kind = .model, name: String = "model") -> Share {
        Share(scope: .init(kind: kind, name: name), share: value, interval: IntervalPair(low: value - half, high: value + half))
    }

    /// NoobAI's reference with a whole-change share `whole` and the given evidence.
    static func noob(whole: Double, evidence: CopiedStructure) -> ReferenceAttribution {
        var reference = AttributionRulesTests.noob(whole: whole, half: 0.01)
        reference.evidence = evidence
        return reference
    }

    static func evidence(tail: Double, tailHalf: Double = 0.004, dominant: Double, exact: Double? = nil, coherence: Double? = nil,
                         null: Double? = nil, groups: [Share] = []) -> CopiedStructure {
        var exactShare = exact.map { share($0, 0.01) }
        exactShare?.coherence = coherence
        return CopiedStructure(
            rank: 256, tail: [share(tail, tailHalf)] + groups, dominant: share(dominant, 0.03),
            exact: exactShare.map { [$0] } ?? [],
            observedNull: null.map { ObservedNull(reference: "illustrious-xl-v2.0", tail: [share($0, 0.003)], exact: [share($0, 0.01)]) })
    }

    @Test func aSmallWeightedSumIsCaughtByItsTail() throws {
        // 5% of NoobAI's change, tail included: far under the old 17.5% minimum.
        let figures = AttributionRulesTests.figures([Self.noob(whole: 0.05, evidence: Self.evidence(tail: 0.05, dominant: 0.05, null: 0.001))])
        let found = Self.rules.credibleInheritance(figures)
        let inherited = try #require(found.first)
        #expect(inherited.id == "noobai-xl-eps-1.0" && inherited.clearing.first?.scope == .model)
        let evidence = Self.rules.evidence(for: inherited)
        #expect(evidence.rule == .copiedStructure)
        #expect(evidence.detail.contains("a copy of weights") && evidence.detail.contains("illustrious-xl-v2.0"))
    }

    @Test func aLookAlikeIsClearedWhateverItsDominantShare() {
        // Shares NoobAI's dominant directions at 45% (the old rule's accusation), none of its tail.
        let reference = Self.noob(whole: 0.45, evidence: Self.evidence(tail: 0.002, dominant: 0.45, exact: 0.01, coherence: 0.05, null: 0.001))
        let figures = AttributionRulesTests.figures([reference])
        let found = Self.rules.credibleInheritance(figures)
        #expect(found.isEmpty)
        #expect(Self.rules.inconclusiveReferences(figures, inherited: found).isEmpty)
        #expect(Self.rules.lookalikes(figures, inherited: found).map(\.id) == ["noobai-xl-eps-1.0"])
    }

    @Test func aLoRACopyIsCaughtOnTheExactAxesOnlyWhenTheTensorsAgree() throws {
        // An extracted LoRA at 0.2: no tail, the top pairs at 20% in every tensor.
        let coherent = AttributionRulesTests.figures([Self.noob(whole: 0.19, evidence: Self.evidence(tail: 0.0, dominant: 0.2, exact: 0.2, coherence: 0.98))])
        let found = Self.rules.credibleInheritance(coherent)
        #expect(try #require(found.first).clearing.count == 1)
        // The same pooled figure from scattered tensors is a look-alike's.
        let scattered = AttributionRulesTests.figures([Self.noob(whole: 0.19, evidence: Self.evidence(tail: 0.0, dominant: 0.2, exact: 0.2, coherence: 0.1))])
        #expect(Self.rules.credibleInheritance(scattered).isEmpty)
    }

    @Test func evidenceNotAboveTheObservedNullIsInconclusive() throws {
        // 3% beyond the dominant directions, but the independent sibling carries 2.8%.
        let figures = AttributionRulesTests.figures([Self.noob(whole: 0.03, evidence: Self.evidence(tail: 0.03, dominant: 0.03, null: 0.028))])
        let found = Self.rules.credibleInheritance(figures)
        #expect(found.isEmpty)
        let open = Self.rules.inconclusiveReferences(figures, inherited: found)
        #expect(try #require(open.first).basis == .copiedStructure)
    }

    @Test func aWideGroupIntervalIsNeitherInheritanceNorInconclusive() {
        // A faint group: 14% [−11%, 40%] tells nothing either way.
        let faint = Self.share(0.14, 0.25, kind: .group, name: "unet-embeddings")
        let figures = AttributionRulesTests.figures([Self.noob(whole: 0.0, evidence: Self.evidence(tail: 0.001, dominant: 0.02, exact: 0, coherence: 0, groups: [faint]))])
        #expect(Self.rules.credibleInheritance(figures).isEmpty)
        #expect(Self.rules.inconclusiveReferences(figures, inherited: []).isEmpty)
    }

    @Test func aBlockMergeClearsInItsGroupsTail() throws {
        let middle = Self.share(0.9, 0.05, kind: .group, name: "unet-middle")
        let figures = AttributionRulesTests.figures([Self.noob(whole: 0.12, evidence: Self.evidence(tail: 0.1, tailHalf: 0.12, dominant: 0.1, groups: [middle]))])
        let found = try #require(Self.rules.credibleInheritance(figures).first)
        #expect(found.clearing.map(\.scope) == [.group("unet-middle")])
    }

    @Test func unmeasuredExactAxesWithACredibleDominantShareAreInconclusive() throws {
        // From sampled rows: no exact axes; a LoRA copy and a look-alike look the same.
        let figures = AttributionRulesTests.figures([Self.noob(whole: 0.3, evidence: Self.evidence(tail: 0.001, dominant: 0.3))])
        let found = Self.rules.credibleInheritance(figures)
        #expect(found.isEmpty)
        #expect(try #require(Self.rules.inconclusiveReferences(figures, inherited: found).first).basis == .exactAxesUnmeasured)
        #expect(Self.rules.lookalikes(figures, inherited: found).isEmpty)
    }
}
