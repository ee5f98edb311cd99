import CPedigreeKernels
import PedigreeFormat
import PedigreeSupport

/// Streams one model of a recipe to a safetensors file: tensors in SDXLLayout order, cut
/// into chunks of whole rows, generated on worker threads, converted to the output dtype
/// with the C kernels, and appended through `SafetensorsWriter` on the calling thread.
struct ModelWriter {
    struct Chunk {
        let tensor: Int
        let rows: Range<Int>
        let isLastOfTensor: Bool
    }

    let recipe: SynthRecipe
    let model: SynthRecipe.Model
    let entries: [SafetensorsWriter.Entry]
    let chunks: [Chunk]
    let chunkElements: Int

    init(recipe: SynthRecipe, model: SynthRecipe.Model, widthDivisor: Int, dtype: DType, chunkElements: Int) {
        self.recipe = recipe
        self.model = model
        self.entries = SDXLLayout.tensors.map {
            SafetensorsWriter.Entry(name: $0.name, dtype: dtype, shape: SDXLLayout.scaledShape($0.shape, widthDivisor: widthDivisor))
        }
        self.chunkElements = max(chunkElements, 1)
        var chunks: [Chunk] = []
        for (index, entry) in entries.enumerated() {
            let (rows, cols) = SynthField.geometry(of: entry.shape)
            let step = max(1, self.chunkElements / max(cols, 1))
            for start in stride(from: 0, to: rows, by: step) {
                let end = min(rows, start + step)
                chunks.append(Chunk(tensor: index, rows: start ..< end, isLastOfTensor: end == rows))
            }
        }
        self.chunks = chunks
    }

    var totalBytes: Int { entries.reduce(0) { $0 + $1.byteCount } }

    /// The largest chunk, in elements: a chunk is at least one row, however long.
    var largestChunkElements: Int {
        chunks.reduce(1) { max($0, $1.rows.count * SynthField.geometry(of: entries[$1.tensor].shape).cols) }
    }

    func write(to path: String, workers: Int, progress: any ProgressSink) throws {
        let writer = try SafetensorsWriter(path: path, entries: entries, metadata: ["format": "pt"])
        let elementBytes = entries.first.map { $0.dtype.bitSize / 8 } ?? 4
        let largest = largestChunkElements
        let producers = (0 ..< max(workers, 1)).map { _ in ChunkSynthesizer(plan: self, scratchElements: largest) }
        progress.begin(label: model.name, totalItems: entries.count, totalBytes: Int64(totalBytes))
        defer { progress.finish() }
        try ChunkPipeline.run(chunkCount: chunks.count, producers: producers, slotBytes: largest * elementBytes) { index, bytes in
            try writer.append(bytes)
            progress.advance(items: chunks[index].isLastOfTensor ? 1 : 0, bytes: Int64(bytes.count))
        }
        try writer.finish()
    }
}

/// One worker's generator: keeps the synthesis of the tensor it is working on (its column
/// coefficients cost more than a chunk of noise for wide tensors) and a Float32 scratch.
///
/// SAFETY: `@unchecked Sendable` because each instance is used by exactly one worker
/// thread (ChunkPipeline gives producer w only to worker w); its mutable cache and scratch
/// are never shared.
private final class ChunkSynthesizer: ChunkProducer, @unchecked Sendable {
    private let plan: ModelWriter
    private var cachedTensor = -1
    private var cached: TensorSynthesis?
    private let scratch: UnsafeMutablePointer<Float>

    init(plan: ModelWriter, scratchElements: Int) {
        self.plan = plan
        self.scratch = .allocate(capacity: scratchElements)
    }

    deinit { scratch.deallocate() }

    func produce(chunk index: Int, into slot: UnsafeMutableRawBufferPointer) -> Int {
        let chunk = plan.chunks[index]
        let entry = plan.entries[chunk.tensor]
        if cachedTensor != chunk.tensor {
            cached = TensorSynthesis(recipe: plan.recipe, model: plan.model, tensor: entry.name, shape: entry.shape)
            cachedTensor = chunk.tensor
        }
        guard let synthesis = cached, let destination = slot.baseAddress else { return 0 }
        let count = chunk.rows.count * synthesis.cols
        // SAFETY: the slot and the scratch each hold at least `largestChunkElements`
        // elements of the output dtype and of Float32 respectively (see ModelWriter.write).
        switch entry.dtype {
        case .f32:
            let floats = destination.bindMemory(to: Float.self, capacity: count)
            synthesis.fill(floats, rows: chunk.rows)
            return count * 4
        case .bf16:
            synthesis.fill(scratch, rows: chunk.rows)
            pk_f32_to_bf16(scratch, destination, count)
            return count * 2
        default:
            synthesis.fill(scratch, rows: chunk.rows)
            pk_f32_to_f16(scratch, destination, count)
            return count * 2
        }
    }
}
