import Foundation
import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeSynth
import PedigreeTestSupport
import Testing
@testable import PedigreeCompute

/// The spectral profile through `Comparison.run` on a planted un-merge (issue 12), and the
/// cache of a pair's bases: reused, identical results, damaged files ignored, hostile bytes
/// refused without a crash.
@Suite(.serialized) struct SpectralAttributionTests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]
    static let edges: [(ancestor: String, descendant: String)] = [
        ("sdxl-base-1.0", "illustrious-xl-v0.1"), ("sdxl-base-1.0", "noobai-xl-eps-1.0"), ("illustrious-xl-v0.1", "noobai-xl-eps-1.0"),
    ]

    static let fixture: (family: SynthFamily, dir: TemporaryDirectory) = {
        do {
            let dir = try TemporaryDirectory()
            let recipe = try RecipeLoader.load(path: packageRoot().appendingPathComponent("Scripts/recipes/unmerge-concentrated.yaml").path)
                .restricted(to: references + ["noob-unmerge-128", "noob-ws-10"], path: "unmerge")
            let family = try SynthFamilyWriter.write(recipe: recipe, outDir: dir.file("family"), widthDivisor: 32)
            return (family, dir)
        } catch {
            fatalError("un-merge fixture: \(error)")
        }
    }()

    func compare(_ candidate: String, cache: SpectralBasisCache? = nil, budget: Double? = SpectralPass.defaultBudget,
                 exactLimit: Double = SpectralPass.exactProjectionLimit) throws -> CompareResult {
        let f = Self.fixture
        let refs = Self.references.map { ComparisonRequest.Reference(id: $0, path: f.family.path(of: $0)!) }
        var request = ComparisonRequest(candidate: f.family.path(of: candidate)!, references: refs, edges: Self.edges, spectralBudget: budget)
        request.spectralExactLimit = exactLimit
        return try Comparison.run(request, hashCache: HashCache(folder: f.dir.file("hashes")), spectralCache: cache)
    }

    @Test("past the exact limit (half and full size) a pair is measured on its spectral sample: the un-merge is still caught, the sample is cached and reused with the same result, and a damaged one is rebuilt", .heavy)
    func sampledPairs() throws {
        let folder = Self.fixture.dir.file("spectral-cache-\(UUID().uuidString)")
        let first = try compare("noob-unmerge-128", cache: SpectralBasisCache(folder: folder), exactLimit: 0)
        let noob = try #require(first.attribution?.reference("noobai-xl-eps-1.0"))
        #expect(noob.subtractedRank != nil)
        #expect(abs((noob.share ?? 0) - 1) <= 0.1, "residual share \(noob.share ?? .nan)")
        #expect((noob.spectral?.first?.share ?? 1) < 0.3)
        // The row sampling's noise is in the interval: it is not a point.
        let interval = try #require(noob.interval)
        #expect(interval.low < interval.high && interval.low <= (noob.share ?? 0) && (noob.share ?? 0) <= interval.high)
        let samples = try FileManager.default.contentsOfDirectory(atPath: folder + "/spectral").filter { $0.hasSuffix(".safetensors") }
        #expect(samples.count == 2, "one sample per pair: \(samples)")

        // A fingerprint's sample made after the audit is the cached one read back (no bases
        // computed again), value for value the sample made afresh.
        let f = Self.fixture
        let noobFile = try SourceOpener.open(label: "noobai-xl-eps-1.0", path: f.family.path(of: "noobai-xl-eps-1.0")!)
        let ill = try SourceOpener.open(label: "illustrious-xl-v0.1", path: f.family.path(of: "illustrious-xl-v0.1")!)
        let hashes = HashCache(folder: f.dir.file("hashes"))
        let d = try #require(try noobFile.sha256(hashes))
        let a = try #require(try ill.sha256(hashes))
        // Handed SDXL base's weights under Illustrious's hash, only a read of the cache can
        // give Illustrious's sample back.
        let sdxl = try SourceOpener.open(label: "sdxl-base-1.0", path: f.family.path(of: "sdxl-base-1.0")!)
        let fromCache = try SpectralSampleBuild.make(descendant: noobFile.source, ancestor: sdxl.source, ancestorID: "illustrious-xl-v0.1",
                                                     descendantSHA256: d, ancestorSHA256: a, cache: SpectralBasisCache(folder: folder))
        let fresh = try SpectralSampleBuild.make(descendant: noobFile.source, ancestor: ill.source, ancestorID: "illustrious-xl-v0.1",
                                                 descendantSHA256: d, ancestorSHA256: a)
        let cachedRows: [SpectralSample.Rows] = fromCache.tensors, freshRows: [SpectralSample.Rows] = fresh.tensors
        #expect(cachedRows.map { $0.name } == freshRows.map { $0.name } && !freshRows.isEmpty)
        for (x, y) in zip(cachedRows, freshRows) {
            let same: Bool = x.indices == y.indices && x.ranks == y.ranks && x.ancestor == y.ancestor && x.descendant == y.descendant && x.low == y.low
            #expect(same, "\(x.name)")
        }

        let again = SpectralBasisCache(folder: folder)
        #expect(try compare("noob-unmerge-128", cache: again, exactLimit: 0).attribution == first.attribution)
        #expect(again.damage == nil)
        // A cache changes how fast a result comes, never the result.
        #expect(try compare("noob-unmerge-128", exactLimit: 0).attribution == first.attribution)

        for file in samples {
            let path = folder + "/spectral/" + file
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        }
        let damaged = SpectralBasisCache(folder: folder)
        #expect(try compare("noob-unmerge-128", cache: damaged, exactLimit: 0).attribution == first.attribution)
        #expect(damaged.damage?.contains("damaged") == true)

        // An honest candidate keeps a flat profile on the sample too.
        let honest = try #require(try compare("noob-ws-10", cache: SpectralBasisCache(folder: folder), exactLimit: 0)
            .attribution?.reference("noobai-xl-eps-1.0"))
        #expect(honest.subtractedRank == nil)
        #expect(abs((honest.share ?? 0) - 0.1) <= 0.05, "share \(honest.share ?? .nan)")
        // Over the budget, with no sample cached, the pair is not measured and the note says so.
        let limited = try #require(try compare("noob-unmerge-128", budget: 1e6, exactLimit: 0).attribution)
        #expect(limited.reference("noobai-xl-eps-1.0")?.spectral == nil)
        #expect(limited.spectralNote?.contains("illustrious-xl-v0.1 → noobai-xl-eps-1.0") == true)
        // With the sample cached the budget does not matter: nothing is left to compute.
        let cachedUnderBudget = try compare("noob-unmerge-128", cache: SpectralBasisCache(folder: folder), budget: 1e6, exactLimit: 0)
        #expect(cachedUnderBudget.attribution == first.attribution)
    }

    @Test("which pairs are sampled: half and full size are past the exact limit, width ÷4 and smaller are not")
    func exactLimitBySize() {
        let shapes = SDXLLayout.tensors.filter { $0.shape.count >= 2 }
        func cost(_ divisor: Int) -> Double {
            SpectralPass.projectionCost(shapes.map { t in
                let shape = SDXLLayout.scaledShape(t.shape, widthDivisor: divisor)
                return PlannedTensor(name: t.name, shape: shape, rows: shape[0], columns: shape.dropFirst().reduce(1, *),
                                     block: BlockNaming.block(of: t.name), component: Component.of(t.name))
            }, divisor: divisor)
        }
        #expect(cost(1) > SpectralPass.exactProjectionLimit && cost(2) > SpectralPass.exactProjectionLimit)
        #expect(cost(4) < SpectralPass.exactProjectionLimit && cost(32) < SpectralPass.exactProjectionLimit)
    }

    @Test("an un-merged NoobAI fine-tune: whole-change share low, residual share 1, subtracted rank set", .heavy)
    func unmergeIsAttributed() throws {
        let noob = try #require(try compare("noob-unmerge-128").attribution?.reference("noobai-xl-eps-1.0"))
        let profile = try #require(noob.spectral)
        #expect(profile.map(\.rank) == [0, 64, 128, 256])
        #expect((profile[0].share ?? 1) < 0.3, "whole-change share \(profile[0].share ?? .nan)")
        #expect(abs((noob.share ?? 0) - 1) <= 0.1)
        #expect(noob.subtractedRank != nil)
        let honest = try #require(try compare("noob-ws-10").attribution?.reference("noobai-xl-eps-1.0"))
        #expect(honest.subtractedRank == nil)
        #expect(abs((honest.share ?? 0) - 0.1) <= 0.05)
        // Flat: every rank within a few points of the whole-change share.
        for entry in honest.spectral ?? [] { #expect(abs((entry.share ?? 9) - 0.1) < 0.05, "rank \(entry.rank)") }
    }

    @Test("past the work budget a pair is not measured, and the result says so; no budget measures it", .heavy)
    func budget() throws {
        let limited = try #require(try compare("noob-unmerge-128", budget: 1e6).attribution)
        #expect(limited.reference("noobai-xl-eps-1.0")?.spectral == nil)
        #expect(limited.reference("noobai-xl-eps-1.0")?.subtractedRank == nil)
        #expect(limited.spectralNote?.contains("--spectral") == true)
        #expect(limited.spectralNote?.contains("illustrious-xl-v0.1 → noobai-xl-eps-1.0") == true)
        let unlimited = try #require(try compare("noob-unmerge-128", budget: nil).attribution)
        #expect(unlimited.spectralNote == nil)
        #expect(unlimited.reference("noobai-xl-eps-1.0")?.subtractedRank != nil)
        // The estimate grows with width.
        let shapes = SDXLLayout.tensors.filter { $0.shape.count >= 2 }
        func cost(_ divisor: Int) -> Double {
            shapes.reduce(0) { total, t in
                let shape = SDXLLayout.scaledShape(t.shape, widthDivisor: divisor)
                let tensor = PlannedTensor(name: t.name, shape: shape, rows: shape[0], columns: shape.dropFirst().reduce(1, *),
                                           block: BlockNaming.block(of: t.name), component: Component.of(t.name))
                return total + SpectralPass.estimatedCost(tensor, divisor: divisor)
            }
        }
        #expect(cost(32) < cost(4) && cost(4) < cost(1))
        // A full-size SDXL pair fits the default, with no room for an architecture twice its size.
        #expect(cost(1) < SpectralPass.defaultBudget && 2 * cost(1) > SpectralPass.defaultBudget, "full size \(cost(1))")
    }

    @Test("against fingerprints no profile is measured, and the result says why", .heavy)
    func fingerprints() throws {
        let f = Self.fixture
        let refs = try Self.references.map { id in
            let out = f.dir.file("fp/\(id).safetensors")
            if !FileManager.default.fileExists(atPath: out) {
                _ = try FingerprintWriter.write(checkpoint: f.family.path(of: id)!, id: id, to: out, hashCache: HashCache(folder: f.dir.file("hashes")))
            }
            return ComparisonRequest.Reference(id: id, path: out)
        }
        let result = try Comparison.run(
            ComparisonRequest(candidate: f.family.path(of: "noob-unmerge-128")!, references: refs, edges: Self.edges),
            hashCache: HashCache(folder: f.dir.file("hashes")))
        let attribution = try #require(result.attribution)
        #expect(attribution.references.allSatisfy { $0.spectral == nil && $0.subtractedRank == nil })
        #expect(attribution.spectralNote?.contains("fingerprint") == true)
    }

    @Test("the pair's bases are cached by the files' SHA-256 and reused; a damaged file is ignored and rebuilt", .heavy)
    func cacheReuse() throws {
        let folder = Self.fixture.dir.file("spectral-cache-\(UUID().uuidString)")
        let first = try compare("noob-unmerge-128", cache: SpectralBasisCache(folder: folder))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/spectral").filter { $0.hasSuffix(".bin") }
        #expect(files.count == 2, "one file per pair (SDXL → Illustrious, Illustrious → NoobAI): \(files)")
        let again = SpectralBasisCache(folder: folder)
        let second = try compare("noob-unmerge-128", cache: again)
        #expect(second.attribution == first.attribution)
        #expect(again.damage == nil)
        for file in files {
            let path = folder + "/spectral/" + file
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        }
        let damaged = SpectralBasisCache(folder: folder)
        let third = try compare("noob-unmerge-128", cache: damaged)
        #expect(third.attribution == first.attribution)
        #expect(damaged.damage?.contains("damaged") == true)
        // Rebuilt whole.
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/spectral/" + file))
            #expect(SpectralBasisCache.decode(data) != nil)
        }
    }

    @Test("hostile cache bytes: every truncation and corrupted size fields decode to nil or a consistent basis, never a crash")
    func hostileCacheBytes() throws {
        let basis = SpectralBasis(rank: 2, u: [1, 0, 0, 1, 0, 0], s: [2, 1], v: [1, 0, 0, 1])
        let data = SpectralBasisCache.encode(["t": .init(rows: 3, cols: 2, basis: basis)])
        let decoded = try #require(SpectralBasisCache.decode(data)?["t"])
        #expect(decoded.basis.s == [2, 1] && decoded.basis.u == basis.u && decoded.basis.v == basis.v)
        for length in 0 ..< data.count { #expect(SpectralBasisCache.decode(data.prefix(length)) == nil, "prefix \(length)") }
        #expect(SpectralBasisCache.decode(data + Data([0])) == nil, "trailing byte")
        // Every single byte set to 0xFF: either refused or still self-consistent.
        for index in 0 ..< data.count {
            var bytes = [UInt8](data)
            bytes[index] = 0xFF
            if let entries = SpectralBasisCache.decode(Data(bytes)) {
                for entry in entries.values {
                    #expect(entry.basis.u.count == entry.rows * entry.basis.rank && entry.basis.v.count == entry.cols * entry.basis.rank)
                    #expect(entry.basis.s.allSatisfy { $0.isFinite })
                }
            }
        }
        // A count claiming billions of tensors is refused before anything is allocated.
        var huge = Data("PDSPEC01".utf8)
        huge.append(contentsOf: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(SpectralBasisCache.decode(huge) == nil)
    }
}
