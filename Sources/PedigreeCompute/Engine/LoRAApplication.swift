import PedigreeFormat

/// What a LoRA candidate was measured as: its modules, and the reference it was applied to.
public struct LoRASummary: Sendable, Codable, Equatable {
    /// `kohya` or `peft`.
    public var convention: String
    public var modules: Int
    /// Tensors of the base the LoRA changes.
    public var tensorsChanged: Int
    public var rankMin: Int
    public var rankMax: Int
    /// Modules that map onto no SDXL tensor (another architecture, or unknown names).
    public var unmapped: Int
    /// The reference whose weights the LoRA's change was added to.
    public var appliedTo: String
    /// Why that reference: `requested` (the caller named it, e.g. from the LoRA's declared
    /// training base) or `root` (the compared reference no other descends from).
    public var basis: String
}

/// Applies a LoRA candidate to a reference's weights, so the pass measures the LoRA's change
/// the way it measures a merge's: the change it adds is compared with each reference pair's.
enum LoRAApplication {
    static func apply(_ lora: LoRAFile, candidate: SourceOpener.Opened, references: [ComparisonRequest.Reference],
                      opened: [SourceOpener.Opened], requested: String?, edges: [(ancestor: String, descendant: String)]) throws
        -> (SourceOpener.Opened, LoRASummary) {
        let ids = references.map(\.id)
        let index: Int
        let basis: String
        if let requested {
            guard let found = ids.firstIndex(of: requested) else {
                throw ComputeError.loraBase(candidate: lora.file.path, reason: "its base \(requested) is not among the references (\(ids.joined(separator: ", "))); add --ref \(requested)=PATH")
            }
            (index, basis) = (found, "requested")
        } else {
            let descendants = Set(edges.map(\.descendant))
            (index, basis) = (ids.firstIndex { !descendants.contains($0) } ?? 0, "root")
        }
        let base = opened[index].source
        guard !(base is Fingerprint) else {
            throw ComputeError.loraBase(candidate: lora.file.path, reason: "its base \(ids[index]) was given as a fingerprint, which holds a sample of the weights; give it as a checkpoint (--ref \(ids[index])=PATH)")
        }
        let applied = try LoRAAppliedSource(label: "candidate", base: base, lora: lora)
        let ranks = lora.modules.values.flatMap { $0.map(\.rank) }
        let summary = LoRASummary(convention: lora.convention.rawValue, modules: ranks.count, tensorsChanged: lora.modules.count,
                                  rankMin: ranks.min() ?? 0, rankMax: ranks.max() ?? 0, unmapped: lora.unmapped.count,
                                  appliedTo: ids[index], basis: basis)
        let opened = SourceOpener.Opened(source: applied, kind: .lora, files: candidate.files, metadata: candidate.metadata,
                                         lora: lora, identify: candidate.identify)
        return (opened, summary)
    }
}

/// A LoRA before it is applied: no tensors of its own to compare.
struct UnappliedLoRA: TensorSource {
    let label: String
    let path: String
    var shapes: [String: [Int]] { [:] }
    var dtypes: [String: DType] { [:] }
    func heldColumns(of name: String) -> [Int]? { nil }
    func bytesPerRow(of name: String) -> Int { 0 }
    func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        throw SafetensorsError.notFound(path: path, name: name)
    }
}
