import Foundation
import PedigreeFormat
import PedigreeSupport

/// Writes every model of a recipe as an SDXL-shaped safetensors file, plus `family.json`
/// with the planted truth. Same recipe, divisor and dtype → same bytes, whatever the
/// number of workers or the chunk size.
public enum SynthFamilyWriter {
    /// The output types: the ones real SDXL checkpoints ship in.
    public static let supportedDTypes: [DType] = [.f16, .bf16, .f32, .f8e4m3]
    /// The names recipes and `--dtype` use for them.
    public static let storageTypes: [String: DType] = ["f16": .f16, "bf16": .bf16, "f32": .f32, "fp8": .f8e4m3, "f8_e4m3": .f8e4m3]
    /// Elements per generated chunk (8 MB of Float32): large enough for efficient writes,
    /// small enough that a handful of buffers bound the memory.
    public static let defaultChunkElements = 1 << 21

    /// Generates the family into `outDir` (created if needed) and returns where and what.
    /// - Parameters:
    ///   - widthDivisor: 1 for full size (6.9 GB per model in F16); 16 gives ~27 MB fixtures.
    ///   - chunkElements, workers: performance knobs only; they never change the bytes.
    @discardableResult
    public static func write(recipe: SynthRecipe, outDir: String, widthDivisor: Int = 1, dtype: DType = .f16,
                             progress: any ProgressSink = SilentProgress(),
                             chunkElements: Int = defaultChunkElements,
                             workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> SynthFamily {
        guard widthDivisor >= 1, widthDivisor <= 320 else {
            throw SynthError.invalidOption(option: "--width-divisor", rule: "must be between 1 and 320, got \(widthDivisor)")
        }
        guard supportedDTypes.contains(dtype) else {
            throw SynthError.invalidOption(option: "--dtype", rule: "must be one of f16, bf16, f32, fp8, got \(dtype.rawValue)")
        }
        var truths: [SynthFamily.ModelTruth] = []
        let statistics = MergeStatistics()
        for model in recipe.writtenModels {
            let file = model.name + ".safetensors"
            let path = URL(fileURLWithPath: outDir).appendingPathComponent(file).path
            let writer = ModelWriter(recipe: recipe, model: model, widthDivisor: widthDivisor, dtype: dtype,
                                     chunkElements: chunkElements, statistics: statistics)
            try writer.write(to: path, workers: workers, progress: progress)
            truths.append(SynthFamily.ModelTruth(
                name: model.name, file: file, bytes: fileSize(path),
                weights: Dictionary(model.weights.map { ($0.component, $0.weight) }, uniquingKeysWith: { _, last in last }),
                role: model.lineage.role, parent: model.lineage.parent, claimed: model.lineage.claimed, note: model.lineage.note,
                merge: model.merge, dtype: model.dtype?.rawValue))
        }
        let shares = PlantedShares.compute(recipe: recipe, widthDivisor: widthDivisor, statistics: statistics, workers: workers)
        for index in truths.indices {
            truths[index].shares = shares[truths[index].name]
            truths[index].modelStockMeanT = statistics.meanStockT(model: truths[index].name)
        }
        var family = SynthFamily(format: SynthFamily.formatName, recipeSeed: recipe.seed, widthDivisor: widthDivisor,
                                 dtype: dtype.rawValue, components: recipe.components.map(SynthFamily.ComponentTruth.init),
                                 models: truths)
        family.directory = outDir
        try AtomicFile.write(try PedigreeJSON.string(family),
                             to: URL(fileURLWithPath: outDir).appendingPathComponent(SynthFamily.fileName).path)
        return family
    }

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
