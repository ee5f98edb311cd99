import Foundation
@testable import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Synchronization
import Testing

/// Fingerprint metadata is hostile input: its numbers are range-checked and its declared
/// shapes checked against the stored tensors before any sampling plan is built.
@Suite("Hostile fingerprints")
struct HostileFingerprintTests {
    static func metadata(shapes: String, rate: String = "1.0", seed: String = "7", sha: String = String(repeating: "0", count: 64)) -> String {
        let pairs = [("pedigree.fingerprint", "1"), ("pedigree.sampling", "columns-v2"), ("pedigree.rate", rate),
                     ("pedigree.seed", seed), ("pedigree.source_sha256", sha), ("pedigree.shapes", shapes)]
        return "\"__metadata__\":{" + pairs.map { "\(Self.json($0.0)):\(Self.json($0.1))" }.joined(separator: ",") + "}"
    }

    static func json(_ s: String) -> String { String(decoding: try! JSONEncoder().encode(s), as: UTF8.self) }

    /// Opens a fingerprint-marked file holding one F16 tensor `w` of `stored` shape.
    static func open(shapes: String, stored: [Int] = [4, 8], rate: String = "1.0", seed: String = "7", sha: String = String(repeating: "0", count: 64)) throws -> Result<Fingerprint?, any Error> {
        let dir = try TemporaryDirectory()
        let bytes = stored.reduce(1, *) * 2
        let header = "{" + metadata(shapes: shapes, rate: rate, seed: seed, sha: sha) + "," + SafetensorsBytes.entry("w", "F16", stored, 0, bytes) + "}"
        let path = try dir.write(SafetensorsBytes.make(header: header, data: SafetensorsBytes.filler(bytes)), to: "fp.safetensors")
        let file = try SafetensorsFile(path: path)
        return Result { try Fingerprint(file: file, label: "r") }
    }

    func expectCode(_ result: Result<Fingerprint?, any Error>, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        switch result {
        case .success: Issue.record("expected \(code), the fingerprint was accepted", sourceLocation: sourceLocation)
        case .failure(let error as FingerprintError):
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
        case .failure(let error): Issue.record("expected FingerprintError \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aValidSmallFingerprintOpens() throws {
        let fingerprint = try #require(try Self.open(shapes: #"{"w":[4,8]}"#).get())
        #expect(fingerprint.heldColumns(of: "w") == Array(0 ..< 8))
        #expect(fingerprint.shapes == ["w": [4, 8]])
    }

    /// The crash of issue 11 (an allocation of 1.4e17 bytes) and its relatives.
    @Test func hugeDeclaredDimensionsAreRefusedBeforeAnyPlan() throws {
        expectCode(try Self.open(shapes: #"{"w":[4,4294967296,4294967296]}"#), "FP004")   // product overflows
        expectCode(try Self.open(shapes: #"{"w":[4294967296,34359738368]}"#), "FP004")    // rows × columns overflows
        expectCode(try Self.open(shapes: #"{"w":[4,1152921504606846976]}"#), "FP004")    // past 2^36, the bound headers have too
        expectCode(try Self.open(shapes: #"{"w":[0,137438953472]}"#), "FP004")          // 2^37 columns without rows: still past it
        expectCode(try Self.open(shapes: #"{"w":[4,4294967296]}"#), "FP005")            // within the bound, but not what is stored
    }

    @Test func zeroRowTensorsKeepNoColumnsWhateverTheirWidth() throws {
        let fingerprint = try #require(try Self.open(shapes: #"{"w":[0,68719476736]}"#, stored: [0, 0]).get())
        #expect(fingerprint.heldColumns(of: "w") == [])
    }

    @Test func outOfRangeNumbersAreRefused() throws {
        for rate in ["nan", "inf", "-0.5", "0", "1.5", "1e-400x", ""] {
            expectCode(try Self.open(shapes: #"{"w":[4,8]}"#, rate: rate), "FP004")
        }
        for seed in ["-1", "18446744073709551616", "0x10", "1.5"] {
            expectCode(try Self.open(shapes: #"{"w":[4,8]}"#, seed: seed), "FP004")
        }
        expectCode(try Self.open(shapes: #"{"w":[4,8]}"#, sha: "\u{1B}[2J"), "FP004")
        expectCode(try Self.open(shapes: #"{"w":[-4,8]}"#), "FP004")
        expectCode(try Self.open(shapes: "{\"w\":[" + Array(repeating: "1", count: 9).joined(separator: ",") + "]}"), "FP004")
        expectCode(try Self.open(shapes: #"{"w":[4,8],"ghost":[2,2]}"#), "FP005")
    }

    // MARK: the sampling plan

    @Test func countsNeverTrapOnExtremeShapes() {
        let shapes = [[Int.max], [1, Int.max], [Int.max, 1], [2, Int.max / 2], [1 << 31, 1 << 31], [0, Int.max], [Int.max, 0]]
        for shape in shapes {
            let tensor = ColumnSampling.TensorShape(name: "t", shape: shape)
            for rate in [1e-9, 0.008, 0.5, 1.0] {
                let count = ColumnSampling.counts(for: [tensor, .init(name: "u", shape: [4, 8])], rate: rate)["t"] ?? -1
                #expect(count >= 0 && count <= tensor.columns, "\(shape) at \(rate): \(count)")
            }
        }
        #expect(ColumnSampling.TensorShape(name: "t", checkedShape: [4, 1 << 32, 1 << 32]) == nil)
        #expect(ColumnSampling.TensorShape(name: "t", checkedShape: [-1, 4]) == nil)
        #expect(ColumnSampling.TensorShape(name: "t", checkedShape: [1 << 40, 1 << 40]) == nil, "rows × columns overflows")
    }

    /// A zero dimension makes a tensor free in bytes whatever its other dimensions. The
    /// article's metric still counts its columns (PyTorch gives each all-zero column a cosine),
    /// so it is planned, but the engine must not size per-column buffers from it: [0, 2^36]
    /// once meant 256 GB of row buffers and 1.6 TB of accumulators.
    @Test func tensorsWithoutRowsAreCountedWithoutBuffers() throws {
        let dir = try TemporaryDirectory()
        let wide = 1 << 36
        func file(_ name: String, seed: UInt8) throws -> String {
            let header = SafetensorsBytes.header(
                SafetensorsBytes.entry("model.diffusion_model.out.0.weight", "F16", [0, wide], 0, 0),
                SafetensorsBytes.entry("model.diffusion_model.out.2.weight", "F16", [4, 8], 0, 64))
            return try dir.write(SafetensorsBytes.make(header: header, data: SafetensorsBytes.filler(64, seed: seed)), to: name)
        }
        let request = ComparisonRequest(candidate: try file("c.safetensors", seed: 1), references: [.init(id: "r", path: try file("r.safetensors", seed: 2))])
        let start = Date()
        let result = try Comparison.run(request, engine: OnePassEngine(workers: 2))
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(result.keysCompared == 2)
        #expect(result.columnsCompared == wide + 8, "every column PyTorch counts, Pedigree counts")
        #expect(result.references[0].meanCosine.isFinite)
    }

    @Test func statisticsWithoutRowsEqualTheReductionOfZeroAccumulators() {
        let pairs = PairIndex(files: 3)
        let tensor = PlannedTensor(name: "t", shape: [0, 5], rows: 0, columns: 5, block: "b", component: .unet)
        let zeros = [Double](repeating: 0, count: pairs.count * 5)
        for moments in [false, true] {
            let reduced = zeros.withUnsafeBufferPointer {
                TensorStatistics.reduce(tensor: tensor, pairs: pairs, columns: 5, accumulators: $0, keepMoments: moments)
            }
            let direct = TensorStatistics.withoutRows(tensor: tensor, pairs: pairs, columns: 5, keepMoments: moments)
            #expect(direct.gram == reduced.gram && direct.columnCount == reduced.columnCount)
            #expect(direct.columnCosineSum == reduced.columnCosineSum && direct.columnCosineSquares == reduced.columnCosineSquares)
            #expect(direct.gramMoments == reduced.gramMoments && direct.comparedColumns == 5)
        }
    }

    // MARK: files that change under us, and no side effects

    /// A progress sink that edits a file the first time the pass reports progress.
    final class Saboteur: ProgressSink, @unchecked Sendable {
        let edit: @Sendable () -> Void
        let done = Mutex(false)
        init(_ edit: @escaping @Sendable () -> Void) { self.edit = edit }
        func begin(label: String, totalItems: Int, totalBytes: Int64) {}
        func advance(items: Int, bytes: Int64) {
            let first = done.withLock { done in defer { done = true }; return !done }
            if first { edit() }
        }
        func finish() {}
    }

    static func family(_ dir: TemporaryDirectory) throws -> (candidate: String, reference: String) {
        try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 1))], to: dir.file("c.safetensors"))
        try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 1)), (0.3, SyntheticFiles.component(seed: 2))], to: dir.file("r.safetensors"))
        return (dir.file("c.safetensors"), dir.file("r.safetensors"))
    }

    @Test(arguments: ["candidate", "reference"], ["appended", "rewritten"])
    func aFileChangedDuringThePassGivesAnIOErrorNotAVerdict(which: String, how: String) throws {
        let dir = try TemporaryDirectory()
        let (candidate, reference) = try Self.family(dir)
        let target = which == "candidate" ? candidate : reference
        let saboteur = Saboteur {
            usleep(2000)
            let handle = try! FileHandle(forWritingTo: URL(fileURLWithPath: target))
            if how == "appended" { try! handle.seekToEnd() } else { try! handle.seek(toOffset: 200) }
            try! handle.write(contentsOf: Data([1, 2, 3, 4]))
            try! handle.close()
        }
        let request = ComparisonRequest(candidate: candidate, references: [.init(id: "r", path: reference)])
        do {
            _ = try Comparison.run(request, engine: OnePassEngine(workers: 1, chunkElements: 64), progress: saboteur)
            Issue.record("a verdict was computed from a file that changed while it was read")
        } catch let error as FileAccessError {
            #expect(error.code == "IO005", "\(error.message)")
            #expect(error.message.hasPrefix(target + ": "), "\(error.message)")
        }
    }

    @Test func theCoreWritesNoCacheUnlessGivenOne() throws {
        let dir = try TemporaryDirectory()
        let (candidate, reference) = try Self.family(dir)
        let request = ComparisonRequest(candidate: candidate, references: [.init(id: "r", path: reference)])
        let plain = try Comparison.run(request)
        // Nothing in the default cache names this test's files.
        let cached = (try? String(contentsOfFile: CacheFolder.path() + "/hashes.json", encoding: .utf8)) ?? ""
        #expect(!cached.contains(dir.path), "Comparison.run wrote to \(CacheFolder.path()) without being given a cache")
        // With a cache (cold, then warm), the result is the same.
        let cold = try Comparison.run(request, hashCache: HashCache(folder: dir.file("cache")), baselineCache: BaselineCache(folder: dir.file("cache")))
        let warm = try Comparison.run(request, hashCache: HashCache(folder: dir.file("cache")), baselineCache: BaselineCache(folder: dir.file("cache")))
        for result in [cold, warm] {
            #expect(try PedigreeJSON.string(result) == (try PedigreeJSON.string(plain)))
        }
    }
}
