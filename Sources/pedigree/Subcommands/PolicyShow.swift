import ArgumentParser
import PedigreePolicy
import PedigreeSupport
import PedigreeYAML

/// `pedigree policy show ID`: a model's lineage and every obligation it passes on.
struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a base model's lineage up to its roots and every obligation it passes on.",
        discussion: """
            ID is a model id, or an alias, Hugging Face repo or file name listed in the \
            model's policy file. Each obligation names the licence it comes from and the \
            path model → … → licence → extends that brings it in.

            EXAMPLES
              pedigree policy show noobai-xl-eps-1.0
              pedigree policy show Laxhar/noobai-XL-1.0 --format json
            """
    )

    @Argument(help: "Model id, alias, Hugging Face repo or file name.")
    var id: String

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @Option(help: "Output format: text or json.")
    var format: PolicyOutputFormat = .text

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        guard let model = set.model(matching: id), let summary = ModelPolicySummary(modelId: model.id, in: set) else {
            throw PolicyError.unknownModel(id: id, suggestion: DidYouMean.suggestion(for: id, among: set.models.map(\.id)))
        }
        switch format {
        case .json: print(try PedigreeJSON.string(summary), terminator: "")
        case .text: print(PolicyShowText.render(summary))
        }
    }
}

/// The text rendering of `policy show`.
enum PolicyShowText {
    static func render(_ summary: ModelPolicySummary) -> String {
        let model = summary.model
        var lines = ["\(model.id): \(model.name) (\(model.publisher))",
                     "licence: \(model.licence.id) [\(model.licence.evidence.rawValue)]",
                     "prediction: \(model.prediction.type.rawValue)", "", "LINEAGE (up to roots: \(summary.roots.joined(separator: ", ")))"]
        lines += tree(summary.lineage, prefix: "", isRoot: true)
        lines += ["", "COMMERCIAL USE: \(summary.commercialUse.rawValue)" + (summary.commercialUseFrom.map { " (from \($0))" } ?? "")]
        lines += ["", "OBLIGATIONS PASSED ON (\(summary.obligations.count))"]
        for item in summary.obligations {
            let obligation = item.obligation
            lines.append("- \(obligation.id) [\(obligation.severity.rawValue)] from \(item.licenceId)")
            lines.append("    \(obligation.summary)")
            let metBy = obligation.metBy.map { "\($0.field.rawValue)=\($0.when.rawValue)" }.joined(separator: ", ")
            lines.append("    met by: \(metBy.isEmpty ? "not checkable from a release manifest" : metBy)")
            lines.append("    via: \(item.pathText)")
        }
        let doubts = model.uncertainty
        if !doubts.isEmpty {
            lines += ["", "UNCERTAINTY"]
            lines += doubts.map { "- \($0.about): \($0.note)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func tree(_ node: LineageNode, prefix: String, isRoot: Bool) -> [String] {
        var lines: [String] = []
        if isRoot {
            lines.append(node.id)
        }
        for (index, parent) in node.parents.enumerated() {
            let last = index == node.parents.count - 1
            let edge = parent.edge.map { "\($0.relation.rawValue) of " } ?? ""
            let evidence = parent.edge.map { " [\($0.evidence.rawValue)]" } ?? ""
            let skipped = parent.edge.flatMap { $0.skipped.isEmpty ? nil : " (skipping \($0.skipped.joined(separator: ", ")))" } ?? ""
            lines.append(prefix + (last ? "└─ " : "├─ ") + edge + parent.id + evidence + skipped)
            lines += tree(parent, prefix: prefix + (last ? "   " : "│  "), isRoot: false)
        }
        return lines
    }
}
