import PedigreeCompute
import PedigreeFormat
import PedigreeSupport

/// The table `pedigree compare` prints: one row per reference with its mean cosine and
/// per-component figures, then (with `--by block` or `--by tensor`) the finer grain,
/// the reference baselines and the delta measures.
public enum CompareTextRenderer {
    public enum Grain: String, Sendable, CaseIterable { case component, block, tensor }

    public static func render(_ result: CompareResult, grain: Grain = .component) -> String {
        var out: [String] = []
        let sampled = result.mode == .sampled
        out.append("candidate  \(result.candidate.path)\(result.candidate.sha256.map { "  sha256 \($0.prefix(12))…" } ?? "")")
        out.append("compared   \(result.keysCompared) tensors, \(result.columnsCompared) columns\(sampled ? " (sampled: fingerprint mode, 95% intervals)" : "")")
        if let lora = LoRAText.sentence(result.lora) { out.append("lora       " + lora) }
        if let transform = TransformText.sentence(result.transform) { out.append("transform  " + transform) }
        out.append("metric     mean cosine per column of dim 0 (the article's); excluded: \(result.metric.exclude.isEmpty ? "nothing" : result.metric.exclude.joined(separator: ", "))")
        out.append("")

        let componentNames = orderedNames(result.references.flatMap { $0.components.map(\.name) })
        var table = [["reference", "mean_cosine", "param-weighted"] + componentNames.map(displayComponent)]
        for ref in result.references {
            var row = [label(ref), number(ref.meanCosine) + interval(ref.interval), number(ref.parameterWeightedCosine)]
            for name in componentNames { row.append(ref.components.first { $0.name == name }.map { number($0.meanCosine) } ?? "—") }
            table.append(row)
        }
        out.append(contentsOf: aligned(table))

        if grain != .component {
            out.append("")
            out.append("per block (mean cosine)")
            let blocks = orderedNames(result.references.flatMap { $0.blocks.map(\.name) })
            var blockTable = [["block"] + result.references.map(\.id)]
            for block in blocks {
                blockTable.append([block] + result.references.map { ref in ref.blocks.first { $0.name == block }.map { number($0.meanCosine) } ?? "—" })
            }
            out.append(contentsOf: aligned(blockTable))
        }

        if grain == .tensor, let tensors = result.tensors {
            out.append("")
            out.append("per tensor (mean cosine)")
            var tensorTable = [["tensor"] + result.references.map(\.id)]
            for tensor in tensors { tensorTable.append([tensor.name] + tensor.references.map { number($0.meanCosine) }) }
            out.append(contentsOf: aligned(tensorTable))
        }

        if !result.baselines.isEmpty {
            out.append("")
            out.append("reference baselines (mean cosine)")
            out.append(contentsOf: aligned(result.baselines.map { ["\($0.a) ↔ \($0.b)", number($0.meanCosine)] }))
        }

        let deltas = result.references.flatMap(\.deltas)
        if !deltas.isEmpty {
            out.append("")
            out.append("delta measures (share of the descendant's change the candidate carries)")
            var deltaTable = [["ancestor → descendant", "share", "cosine"]]
            for d in deltas { deltaTable.append(["\(d.ancestor) → \(d.descendant)", number(d.share), number(d.cosine)]) }
            out.append(contentsOf: aligned(deltaTable))
        }

        if !result.skipped.isEmpty {
            out.append("")
            out.append("skipped \(result.skipped.count) tensors: " + result.skipped.prefix(3).map { "\($0.name) (\($0.reason.rawValue))" }.joined(separator: ", ") + (result.skipped.count > 3 ? ", …" : ""))
        }
        // Tensor names, ids and paths come from files: no line may carry a raw control character.
        return out.map(TerminalEscaping.escape).joined(separator: "\n")
    }

    /// A reference's row label: its id, or its user's label marked when it is no policy model.
    static func label(_ ref: ReferenceFigures) -> String { ref.notInPolicies == true ? "\(ref.id) (not in the policies)" : ref.id }

    static func displayComponent(_ raw: String) -> String { Component(rawValue: raw)?.displayName ?? raw }

    static func number(_ value: Double) -> String { value.isNaN ? "n/a" : String(format: "%.4f", value) }

    static func interval(_ interval: Interval?) -> String {
        guard let interval else { return "" }
        return String(format: " ±%.4f", (interval.high - interval.low) / 2)
    }

    static func orderedNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.sorted { BlockNaming.sortKey($0) < BlockNaming.sortKey($1) }
    }

    /// Left-aligns the first column and right-aligns the rest.
    static func aligned(_ rows: [[String]]) -> [String] { TextTable.figures(rows).lines(indent: "") }
}
