import ArgumentParser
import PedigreePolicy
import PedigreeReports
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

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        guard let model = set.model(matching: id), let summary = ModelPolicySummary(modelId: model.id, in: set) else {
            throw PolicyError.unknownModel(id: id, suggestion: DidYouMean.suggestion(for: id, among: set.models.map(\.id)))
        }
        printReport(formatOption.isJSON ? try PedigreeJSON.string(summary) : PolicyShowText.render(summary))
    }
}
