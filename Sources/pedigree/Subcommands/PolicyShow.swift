import ArgumentParser
import PedigreePolicy
import PedigreeReports
import PedigreeSupport
import PedigreeYAML

/// `pedigree policy show ID`: a model's lineage and every obligation it passes on, or a
/// licence's terms and obligations.
struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a base model's lineage and the obligations it passes on, or a licence's terms.",
        discussion: """
            ID is a model id, or an alias, Hugging Face repo or file name listed in the \
            model's policy file. Each obligation names the licence it comes from and the \
            path model → … → licence → extends that brings it in.

            ID may also be a licence id (or its name): then its commercial-use and \
            derivative terms, the licences it extends, every obligation with the licence \
            that states it, and the models recorded under it.

            EXAMPLES
              pedigree policy show noobai-xl-eps-1.0
              pedigree policy show Laxhar/noobai-XL-1.0 --format json
              pedigree policy show noobai-xl-licence
            """
    )

    @Argument(help: "Model id, alias, Hugging Face repo or file name; or a licence id.")
    var id: String

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        if let model = set.model(matching: id), let summary = ModelPolicySummary(modelId: model.id, in: set) {
            printReport(formatOption.isJSON ? try PedigreeJSON.string(summary) : PolicyShowText.render(summary))
        } else if let licence = set.licence(matching: id), let summary = LicencePolicySummary(licenceId: licence.id, in: set) {
            printReport(formatOption.isJSON ? try PedigreeJSON.string(summary) : PolicyShowText.render(summary))
        } else {
            throw PolicyError.unknownModel(id: id, suggestion: DidYouMean.suggestion(for: id, among: set.models.map(\.id) + set.licences.map(\.id)))
        }
    }
}
