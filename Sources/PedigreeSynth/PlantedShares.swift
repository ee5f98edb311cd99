import Dispatch
import PedigreeFormat

/// The planted truth attribution is scored against: for each candidate and each reference
/// D whose lineage names a parent A, the share of D's change (D − A) in the candidate.
///
/// Two numbers per place:
/// - `nominal`: arithmetic on the recipe. Every model is reduced to component weights per
///   block group (linear models exactly; slerp as lerp; TIES/DARE as base + α·Σ wₘ·Δₘ, or
///   α·mean(wₘ·Δₘ) with sign election (disjoint mean read as a plain mean); model stock as
///   base + t̄·mean(Δₘ) with t̄ the computed mean t; block weights and transplants per
///   block), then share = ⟨C − A, D − A⟩ / ⟨D − A, D − A⟩ over components weighted by
///   their energies. Exact for weighted sums, add-difference, block weights, transplants.
/// - `effective`: the same ratio measured on the generated values themselves (sampled
///   rows of every non-VAE tensor, all tensors of a group pooled): what a least-squares fit
///   of the candidate's change on D's change alone recovers. For TIES, DARE and slerp this
///   is the number to score against; for linear models it equals `nominal` up to sampling.
///
/// Components and whole-model figures pool block groups weighted by ⟨D − A, D − A⟩, so
/// they are energy-weighted averages of the block figures, as a fit over all parameters is.
public struct PlantedShare: Sendable, Codable, Equatable {
    public var nominal: Double
    public var effective: Double
}

public struct ShareTruth: Sendable, Codable, Equatable {
    public var reference: String
    public var ancestor: String
    /// `linear` or the merge method (`ties`, `dare`, …) of the candidate.
    public var method: String
    /// UNet, CLIP-L and OpenCLIP-G together (the VAE is never compared).
    public var whole: PlantedShare
    /// `unet`, `clip_l`, `clip_g`.
    public var components: [String: PlantedShare]
    /// UNet blocks by supermerger label (BASE, IN00…, M00, OUT00…), only when the nominal
    /// share differs between blocks (block-weighted merges, profiles).
    public var blocks: [String: PlantedShare]?
}

enum PlantedShares {
    /// A block group: a UNet supermerger label, or a whole non-UNet component.
    static func group(of tensor: String) -> String {
        let component = PedigreeFormat.Component.of(tensor)
        return component == .unet ? "unet:" + SynthRecipe.blockLabel(of: tensor) : component.rawValue
    }

    /// A representative block name of a group, for profile factors.
    static func representativeBlock(_ group: String) -> String {
        guard group.hasPrefix("unet:") else { return group }
        let label = String(group.dropFirst(5))
        if label == "BASE" { return "unet.time_embed" }
        if label == "M00" { return "unet.middle_block" }
        if label.hasPrefix("IN"), let k = Int(label.dropFirst(2)) { return "unet.input_blocks.\(k)" }
        if label.hasPrefix("OUT"), let k = Int(label.dropFirst(3)) { return "unet.output_blocks.\(k)" }
        return "unet"
    }

    /// Nominal component weights of a model in a group.
    static func nominalWeights(_ model: SynthRecipe.Model, group: String, recipe: SynthRecipe,
                               statistics: MergeStatistics) -> [String: Double] {
        var result: [String: Double] = [:]
        func add(_ weights: [String: Double], _ factor: Double) {
            for (c, w) in weights { result[c, default: 0] += factor * w }
        }
        func of(_ name: String?) -> [String: Double] {
            guard let name, let m = recipe.model(named: name) else { return [:] }
            return nominalWeights(m, group: group, recipe: recipe, statistics: statistics)
        }
        if let merge = model.merge {
            switch merge.method {
            case .slerp:
                add(of(merge.a), 1 - merge.alpha)
                add(of(merge.b), merge.alpha)
            case .blockWeights:
                let label = group.hasPrefix("unet:") ? String(group.dropFirst(5)) : "BASE"
                let alpha = merge.blocks[label] ?? merge.alpha
                add(of(merge.a), 1 - alpha)
                add(of(merge.b), alpha)
            case .transplant:
                let component = group.hasPrefix("unet:") ? PedigreeFormat.Component.unet
                    : PedigreeFormat.Component(rawValue: group) ?? .other
                add(of(merge.source(of: component)), 1)
            case .unmerge:
                // The truth is the share the model really carries: subtracting a low-rank
                // part of the change hides its top directions, it does not undo the merge.
                add(of(merge.model), 1)
            case .ties, .dare, .modelStock:
                let base = of(merge.base)
                add(base, 1)
                let factor: Double
                switch merge.method {
                case .modelStock: factor = (statistics.meanStockT(model: model.name) ?? 0) / Double(merge.inputs.count)
                default: factor = merge.alpha / (merge.signElection ? Double(merge.inputs.count) : 1)
                }
                for input in merge.inputs {
                    add(of(input.model), factor * input.weight)
                    add(base, -factor * input.weight)
                }
            }
        }
        add(Dictionary(model.weights.map { ($0.component, $0.weight) }, uniquingKeysWith: +), 1)
        return result
    }

    /// Computes the truth for every candidate of the recipe that was written.
    static func compute(recipe: SynthRecipe, widthDivisor: Int, statistics: MergeStatistics,
                        workers: Int) -> [String: [ShareTruth]] {
        let references = recipe.models.compactMap { model -> (d: SynthRecipe.Model, a: SynthRecipe.Model)? in
            guard model.lineage.role == .reference, let parent = model.lineage.parent,
                  let a = recipe.model(named: parent) else { return nil }
            return (model, a)
        }
        let candidates = recipe.writtenModels.filter { $0.lineage.role == .candidate }
        guard !references.isEmpty, !candidates.isEmpty else { return [:] }

        // Per tensor: for each (candidate, reference), ⟨ΔC, ΔD⟩ and ⟨ΔD, ΔD⟩ on sampled rows.
        let tensors = SDXLLayout.tensors.filter { PedigreeFormat.Component.of($0.name) != .vae }
        let pairs = candidates.count * references.count
        let results = ResultSlots(count: tensors.count, width: 2 * pairs)
        let lanes = max(1, workers)
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for t in stride(from: lane, to: tensors.count, by: lanes) {
                let shape = SDXLLayout.scaledShape(tensors[t].shape, widthDivisor: widthDivisor)
                let planner = TensorPlanner(recipe: recipe, widthDivisor: widthDivisor, tensor: tensors[t].name,
                                            shape: shape, statistics: statistics)
                let wanted = max(1, 16_384 / max(planner.cols, 1))
                let step = max(1, planner.rows / wanted)
                let rows = Array(stride(from: 0, to: planner.rows, by: step))
                let cols = planner.cols
                func values(_ model: SynthRecipe.Model) -> [Float] {
                    let source = planner.source(for: model)
                    var out = [Float](repeating: 0, count: rows.count * cols)
                    out.withUnsafeMutableBufferPointer { buffer in
                        for (i, row) in rows.enumerated() { source.fill(buffer.baseAddress! + i * cols, rows: row ..< row + 1) }
                    }
                    return out
                }
                let referenceValues = references.map { (values($0.d), values($0.a)) }
                var sums = [Double](repeating: 0, count: 2 * pairs)
                for (c, candidate) in candidates.enumerated() {
                    let x = values(candidate)
                    for (r, (d, a)) in referenceValues.enumerated() {
                        var cd = 0.0, dd = 0.0
                        for i in x.indices {
                            let delta = Double(d[i] - a[i])
                            cd += Double(x[i] - a[i]) * delta
                            dd += delta * delta
                        }
                        sums[2 * (c * references.count + r)] = cd
                        sums[2 * (c * references.count + r) + 1] = dd
                    }
                }
                results.set(t, sums)
            }
        }

        var truth: [String: [ShareTruth]] = [:]
        for (c, candidate) in candidates.enumerated() {
            for (r, (d, a)) in references.enumerated() {
                // Pool per group in tensor order (deterministic).
                var cd: [String: Double] = [:], dd: [String: Double] = [:]
                for t in tensors.indices {
                    let g = group(of: tensors[t].name)
                    let row = results.get(t)
                    cd[g, default: 0] += row[2 * (c * references.count + r)]
                    dd[g, default: 0] += row[2 * (c * references.count + r) + 1]
                }
                var nominal: [String: Double] = [:]
                for g in dd.keys {
                    let wc = nominalWeights(candidate, group: g, recipe: recipe, statistics: statistics)
                    let wd = nominalWeights(d, group: g, recipe: recipe, statistics: statistics)
                    let wa = nominalWeights(a, group: g, recipe: recipe, statistics: statistics)
                    var num = 0.0, den = 0.0
                    for component in recipe.components {
                        let factor = component.scale * SynthField(recipeSeed: recipe.seed, component: component)
                            .profileFactor(block: representativeBlock(g))
                        let energy = factor * factor
                        let delta = (wd[component.name] ?? 0) - (wa[component.name] ?? 0)
                        num += ((wc[component.name] ?? 0) - (wa[component.name] ?? 0)) * delta * energy
                        den += delta * delta * energy
                    }
                    nominal[g] = den > 0 ? num / den : 0
                }
                func pooled(_ groups: [String]) -> PlantedShare {
                    let weight = groups.reduce(0) { $0 + (dd[$1] ?? 0) }
                    guard weight > 0 else { return PlantedShare(nominal: 0, effective: 0) }
                    let n = groups.reduce(0) { $0 + (nominal[$1] ?? 0) * (dd[$1] ?? 0) } / weight
                    let e = groups.reduce(0) { $0 + (cd[$1] ?? 0) } / weight
                    return PlantedShare(nominal: n, effective: e)
                }
                let all = dd.keys.sorted()
                let unetGroups = all.filter { $0.hasPrefix("unet:") }
                var components: [String: PlantedShare] = ["unet": pooled(unetGroups)]
                for name in ["clip_l", "clip_g"] where dd[name] != nil { components[name] = pooled([name]) }
                let unetNominals = unetGroups.compactMap { nominal[$0] }
                let varies = (unetNominals.max() ?? 0) - (unetNominals.min() ?? 0) > 1e-9
                let blocks = varies ? Dictionary(unetGroups.map { (String($0.dropFirst(5)), pooled([$0])) }, uniquingKeysWith: { a, _ in a }) : nil
                let method = candidate.merge?.method.rawValue ?? "linear"
                truth[candidate.name, default: []].append(ShareTruth(
                    reference: d.name, ancestor: a.name, method: method,
                    whole: pooled(all.filter { $0 != "other" }), components: components, blocks: blocks))
            }
        }
        return truth
    }
}

/// Per-tensor result rows written by the worker lanes and read after they finish.
private final class ResultSlots: @unchecked Sendable {
    // SAFETY: lane l writes only the slots t ≡ l (mod lanes), each once, and the reads happen
    // after concurrentPerform returns; no slot is ever touched by two threads at once, and
    // the slots live in one fixed allocation (no shared Array buffer to copy on write).
    private let rows: UnsafeMutablePointer<[Double]>
    private let count: Int
    init(count: Int, width: Int) {
        self.count = count
        rows = .allocate(capacity: max(count, 1))
        rows.initialize(repeating: [], count: count)
    }
    deinit {
        rows.deinitialize(count: count)
        rows.deallocate()
    }
    func set(_ t: Int, _ value: [Double]) { rows[t] = value }
    func get(_ t: Int) -> [Double] { rows[t] }
}
