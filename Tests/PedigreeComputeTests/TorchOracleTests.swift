import Foundation
import PedigreeCompute
import PedigreeTestSupport
import Testing

/// The article's metric against an independent PyTorch evaluation of the same definition
/// (`F.normalize(…, dim=0)` then `CosineSimilarity(dim=0)`, `np.nanmean`), on files with
/// every edge case PyTorch defines: zero columns, scalars, int64 position ids, NaN and
/// inf values, zero-row tensors, and mixed F16 / BF16 / F32 files.
@Suite(.pythonOracle)
struct TorchOracleTests {
    static let makeFiles = TorchOracleScripts.makeFiles
    static let oracle = TorchOracleScripts.oracle

    @Test func articleMetricAgreesWithPyTorchTo1e5() throws {
        let dir = try TemporaryDirectory()
        let made = try runPython(script: Self.makeFiles, arguments: [dir.path])
        try #require(made.status == 0, "python fixture script failed: \(made.stderr)")
        let paths = ["candidate", "ref-a", "ref-b"].map { dir.file("\($0).safetensors") }
        let expected = try runPython(script: Self.oracle, arguments: paths)
        try #require(expected.status == 0, "torch oracle failed: \(expected.stderr)")
        let oracle = try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any]
        let refs = try #require(oracle?["refs"] as? [[Any]])
        let baseline = try #require(oracle?["baseline"] as? [Any])

        let result = try Comparison.run(
            ComparisonRequest(candidate: paths[0], references: [.init(id: "a", path: paths[1]), .init(id: "b", path: paths[2])],
                              identifyFiles: false),
            hashCache: nil)
        for (index, reference) in result.references.enumerated() {
            let torchMean = try #require(refs[index][0] as? Double)
            #expect(abs(reference.meanCosine - torchMean) < 1e-5, "\(reference.id): pedigree \(reference.meanCosine) vs torch \(torchMean)")
        }
        let torchColumns = try #require(refs[0][1] as? Int)
        #expect(result.columnsCompared == torchColumns, "every column PyTorch counts, Pedigree counts")
        let torchBaseline = try #require(baseline[0] as? Double)
        #expect(abs(result.baselines[0].meanCosine - torchBaseline) < 1e-5)
        #expect(result.keysCompared == 10, "VAE left out by default")
    }
}
