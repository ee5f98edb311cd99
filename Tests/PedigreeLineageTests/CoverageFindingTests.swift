import PedigreeCompute
import PedigreeFormat
import PedigreeLineage
import Testing

/// How much of a model was compared, and when that is too little to judge it (LN012).
struct CoverageFindingTests {
    static let unet = SDXLLayout.tensors.map(\.name).filter { $0.hasPrefix("model.diffusion_model.") }

    func coverage(of names: [String]) -> TensorCoverage {
        TensorCoverage.measure(compared: Set(names), candidateShapes: [:], architecture: .sdxl, filter: TensorFilter(exclude: TensorFilter.defaultExclude))
    }

    @Test func theWholeLayoutIsFullCoverageAndTheVAEIsNotExpected() {
        let all = coverage(of: SDXLLayout.tensors.map(\.name))
        #expect(all.parameterFraction == 1)
        #expect(all.components.map(\.component) == ["unet", "clip_l", "clip_g"])
        #expect(all.tensorsCompared == all.tensorsExpected)
        #expect(ReleaseFindings.coverage(all, minimum: 0.99, scope: nil).isEmpty)
    }

    @Test func threeTensorsAreNotAModel() {
        let three = coverage(of: Array(Self.unet.prefix(3)))
        #expect(three.tensorsCompared == 3)
        #expect(three.parameterFraction < 0.01)
        let findings = ReleaseFindings.coverage(three, minimum: 0.99, scope: nil)
        #expect(findings.map(\.code) == [.incompleteCoverage])
        #expect(findings.first?.severity == .error)
        #expect(findings.first?.message.hasPrefix("Only 3 of ") == true)
    }

    @Test func aUNetOnlyFileIsJudgedOnTheScopeItDeclares() {
        let unetOnly = coverage(of: Self.unet)
        #expect(unetOnly.part("unet")?.parameterFraction == 1)
        #expect(unetOnly.part("clip_l")?.tensorsCompared == 0)
        #expect(ReleaseFindings.coverage(unetOnly, minimum: 0.99, scope: nil).map(\.code) == [.incompleteCoverage])
        #expect(ReleaseFindings.coverage(unetOnly, minimum: 0.99, scope: ["unet"]).isEmpty)
        #expect(ReleaseFindings.coverage(unetOnly, minimum: 0.99, scope: ["unet", "clip_l"]).count == 1)
    }

    @Test func publishedNumbersAreNotJudgedOnCoverage() {
        #expect(ReleaseFindings.coverage(nil, minimum: 0.99, scope: nil).isEmpty)
    }
}
