import Foundation
import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeSynth
import PedigreeTestSupport
import Testing

/// Fingerprints against exact mode on a synthetic SDXL family whose columns vary in
/// magnitude within each tensor (the demo recipe), and refusal of bad fingerprints.
@Suite(.serialized)
struct FingerprintTests {
    static let references = ["illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]

    /// One family and its fingerprints, made once for the suite.
    static let fixture: (family: SynthFamily, prints: [String: String], dir: TemporaryDirectory) = {
        do {
            let dir = try TemporaryDirectory()
            let recipe = try SynthRecipe.demoFamily.restricted(
                to: references + ["candidate-noob-merge", "candidate-illustrious-finetune"], path: "demo")
            let family = try SynthFamilyWriter.write(recipe: recipe, outDir: dir.file("family"), widthDivisor: 16)
            var prints: [String: String] = [:]
            for id in references {
                let out = dir.file("fp/\(id).safetensors")
                _ = try FingerprintWriter.write(checkpoint: family.path(of: id) ?? "", id: id, to: out, hashCache: HashCache(folder: dir.file("cache")))
                prints[id] = out
            }
            return (family, prints, dir)
        } catch {
            fatalError("fingerprint fixture: \(error)")
        }
    }()

    func compare(_ candidate: String, fingerprints: Bool) throws -> CompareResult {
        let f = Self.fixture
        let refs = Self.references.map { id in
            ComparisonRequest.Reference(id: id, path: fingerprints ? f.prints[id]! : f.family.path(of: id)!)
        }
        return try Comparison.run(
            ComparisonRequest(candidate: f.family.path(of: candidate)!, references: refs,
                              edges: [(ancestor: "illustrious-xl-v0.1", descendant: "noobai-xl-eps-1.0")], identifyFiles: false),
            hashCache: nil)
    }

    @Test(.heavy, arguments: ["candidate-noob-merge", "candidate-illustrious-finetune"])
    func sampledFiguresAgreeWithExactOnes(candidate: String) throws {
        let exact = try compare(candidate, fingerprints: false)
        let sampled = try compare(candidate, fingerprints: true)
        #expect(sampled.mode == .sampled)
        #expect(sampled.columnsCompared < exact.columnsCompared / 10)
        var blocksInside = 0, blocks = 0
        for (e, s) in zip(exact.references, sampled.references) {
            #expect(abs(e.meanCosine - s.meanCosine) < 0.002, "\(e.id): exact \(e.meanCosine) sampled \(s.meanCosine)")
            let interval = try #require(s.interval)
            #expect(interval.low <= e.meanCosine && e.meanCosine <= interval.high, "\(e.id): \(e.meanCosine) outside \(interval)")
            for (eb, sb) in zip(e.blocks, s.blocks) {
                blocks += 1
                if let iv = sb.interval, iv.low - 1e-9 <= eb.meanCosine, eb.meanCosine <= iv.high + 1e-9 { blocksInside += 1 }
            }
            for (ed, sd) in zip(e.deltas, s.deltas) {
                #expect(abs(ed.share - sd.share) < 0.01, "\(e.id) delta: exact \(ed.share) sampled \(sd.share)")
                let iv = try #require(sd.interval)
                #expect(iv.low - 0.002 <= ed.share && ed.share <= iv.high + 0.002)
            }
        }
        // 95% intervals: most per-block intervals must cover the exact value.
        #expect(Double(blocksInside) / Double(blocks) >= 0.85, "\(blocksInside) of \(blocks) block intervals cover the exact figure")
    }

    @Test(.heavy) func fingerprintsCompareWithEachOtherForBaselines() throws {
        let f = Self.fixture
        let sampled = try Comparison.run(
            ComparisonRequest(candidate: f.prints["noobai-xl-eps-1.0"]!, references: [.init(id: "illustrious-xl-v0.1", path: f.prints["illustrious-xl-v0.1"]!)],
                              identifyFiles: false), hashCache: nil)
        let exact = try Comparison.run(
            ComparisonRequest(candidate: f.family.path(of: "noobai-xl-eps-1.0")!, references: [.init(id: "illustrious-xl-v0.1", path: f.family.path(of: "illustrious-xl-v0.1")!)],
                              identifyFiles: false), hashCache: nil)
        #expect(abs(sampled.references[0].meanCosine - exact.references[0].meanCosine) < 0.002)
    }

    @Test(.heavy) func exactBaselinesAreCachedByHashAndServeFingerprintComparisons() throws {
        let f = Self.fixture
        let cacheFolder = f.dir.file("baseline-cache-\(UUID().uuidString)")
        let hashes = HashCache(folder: cacheFolder), baselines = BaselineCache(folder: cacheFolder)
        func run(fingerprints: Bool) throws -> CompareResult {
            let refs = ["illustrious-xl-v0.1", "noobai-xl-eps-1.0"].map { id in
                ComparisonRequest.Reference(id: id, path: fingerprints ? f.prints[id]! : f.family.path(of: id)!)
            }
            return try Comparison.run(ComparisonRequest(candidate: f.family.path(of: "candidate-noob-merge")!, references: refs),
                                      hashCache: hashes, baselineCache: baselines)
        }
        let sampledBefore = try run(fingerprints: true)
        #expect(sampledBefore.baselines[0].source == .sampled)
        let exact = try run(fingerprints: false)
        #expect(exact.baselines[0].source == .exact)
        let sampledAfter = try run(fingerprints: true)
        #expect(sampledAfter.baselines[0].source == .cache)
        #expect(sampledAfter.baselines[0].meanCosine == exact.baselines[0].meanCosine)
        // A different tensor filter is a different figure, never served from the cache.
        let vaeIncluded = try Comparison.run(
            ComparisonRequest(candidate: f.family.path(of: "candidate-noob-merge")!,
                              references: ["illustrious-xl-v0.1", "noobai-xl-eps-1.0"].map { .init(id: $0, path: f.prints[$0]!) },
                              filter: TensorFilter(include: ["model.diffusion_model."], exclude: [])),
            hashCache: hashes, baselineCache: baselines)
        #expect(vaeIncluded.baselines[0].source == .sampled)
    }

    @Test(.heavy) func fingerprintIsRecognisedByContentAndRecordsItsSource() throws {
        let f = Self.fixture
        let renamed = f.dir.file("looks-like-a-model.safetensors")
        try? FileManager.default.removeItem(atPath: renamed)
        try FileManager.default.copyItem(atPath: f.prints["noobai-xl-eps-1.0"]!, toPath: renamed)
        let print = try #require(try Fingerprint(file: try SafetensorsFile(path: renamed), label: "x"))
        let source = try HashCache(folder: f.dir.file("cache")).hashes(of: try SafetensorsFile(path: f.family.path(of: "noobai-xl-eps-1.0")!)).sha256
        #expect(print.sourceSHA256 == source)
        #expect(print.sampling.version == ColumnSampling.version)
        #expect(print.architecture == "sdxl")
    }

    /// Rewrites a fingerprint with edited metadata or a tampered tensor.
    func tampered(metadata edit: (inout [String: String]) -> Void = { _ in }, shrink tensor: String? = nil) throws -> String {
        let f = Self.fixture
        let source = try SafetensorsFile(path: f.prints["noobai-xl-eps-1.0"]!)
        var metadata = source.header.metadata
        edit(&metadata)
        let entries = source.header.tensors.map { t in
            SafetensorsWriter.Entry(name: t.name, dtype: t.dtype, shape: t.name == tensor ? [t.shape[0], t.shape[1] - 1] : t.shape)
        }
        let out = f.dir.file("tampered-\(UUID().uuidString).safetensors")
        let writer = try SafetensorsWriter(path: out, entries: entries, metadata: metadata)
        for (t, entry) in zip(source.header.tensors, entries) {
            let bytes = try source.reader.readBytes(at: source.fileOffset(of: t), count: entry.byteCount)
            try bytes.withUnsafeBytes { try writer.write(name: t.name, bytes: $0) }
        }
        try writer.finish()
        return out
    }

    func refusal(_ path: String) -> (any PedigreeError)? {
        do {
            _ = try Comparison.run(ComparisonRequest(candidate: Self.fixture.family.path(of: "candidate-noob-merge")!,
                                                     references: [.init(id: "n", path: path)], identifyFiles: false), hashCache: nil)
            return nil
        } catch { return error as? any PedigreeError }
    }

    @Test(.heavy) func wrongFormatVersionIsRefused() throws {
        let error = refusal(try tampered { $0[Fingerprint.Key.format] = "2" })
        #expect(error?.code == "FP001")
    }

    @Test(.heavy) func wrongSamplingVersionIsRefused() throws {
        let error = refusal(try tampered { $0[Fingerprint.Key.sampling] = "columns-v0" })
        #expect(error?.code == "FP002")
        #expect(error?.message.contains("columns-v0") == true)
    }

    @Test(.heavy) func tamperedTensorIsRefused() throws {
        let victim = "model.diffusion_model.middle_block.1.proj_in.weight"
        let error = refusal(try tampered(shrink: victim))
        #expect(error?.code == "FP005")
        #expect(error?.message.contains(victim) == true)
    }

    @Test(.heavy) func fingerprintsSampledDifferentlyAreNotComparedTogether() throws {
        let f = Self.fixture
        let other = f.dir.file("fp-other-seed.safetensors")
        _ = try FingerprintWriter.write(checkpoint: f.family.path(of: "illustrious-xl-v0.1")!, id: "i", to: other, seed: 7, hashCache: HashCache(folder: f.dir.file("cache")))
        do {
            _ = try Comparison.run(ComparisonRequest(candidate: f.family.path(of: "candidate-noob-merge")!,
                                                     references: [.init(id: "n", path: f.prints["noobai-xl-eps-1.0"]!), .init(id: "i", path: other)],
                                                     identifyFiles: false), hashCache: nil)
            Issue.record("expected a sampling mismatch")
        } catch let error as FingerprintError {
            #expect(error.code == "FP006")
        }
    }

    @Test(.heavy) func wrongArchitectureIsRefused() throws {
        let error = refusal(try tampered { $0[Fingerprint.Key.architecture] = "sd1" })
        #expect(error?.code == "FP007")
    }

    @Test func defaultFingerprintOfAFullSizeLayoutIsAtMostOnePercent() {
        // Computed from the real SDXL layout (no 7 GB file needed): Σ rows × sampled columns × 2 bytes.
        let compared = SDXLLayout.tensors.filter { !$0.name.hasPrefix("first_stage_model.") }
        let counts = ColumnSampling.counts(for: compared.map { ColumnSampling.TensorShape(name: $0.name, shape: $0.shape) }, rate: ColumnSampling.defaultRate)
        var sampled = 0
        for tensor in compared {
            let shape = ColumnSampling.TensorShape(name: tensor.name, shape: tensor.shape)
            sampled += shape.rows * (counts[tensor.name] ?? 0) * 2
        }
        let full = SDXLLayout.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) * 2 }
        let headerAllowance = 400_000  // tensor entries and the shapes map
        #expect(Double(sampled + headerAllowance) / Double(full) <= 0.01)
        // Cheap tensors are sampled densely: conv_in (320 × 36 columns) is kept whole.
        #expect(counts["model.diffusion_model.input_blocks.0.0.weight"] == 36)
    }

    @Test func samplingIsDeterministicAndSharedByFingerprintsOfTheSameLayout() {
        let shapes = SDXLLayout.tensors.prefix(50).map { ColumnSampling.TensorShape(name: $0.name, shape: $0.shape) }
        let a = ColumnSampling.plan(for: Array(shapes), rate: 0.01, seed: 42)
        let b = ColumnSampling.plan(for: Array(shapes), rate: 0.01, seed: 42)
        let c = ColumnSampling.plan(for: Array(shapes), rate: 0.01, seed: 43)
        #expect(a == b)
        #expect(a != c)
        for (name, columns) in a {
            let width = shapes.first { $0.name == name }!.columns
            #expect(columns == columns.sorted() && Set(columns).count == columns.count && columns.allSatisfy { $0 < width })
        }
    }
}
