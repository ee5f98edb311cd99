import ArgumentParser
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

/// `pedigree policy list`: the models and licences in the policy set.
struct PolicyList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the base models and licences in the policy set.",
        discussion: """
            EXAMPLES
              pedigree policy list
              pedigree policy list --policies ./Policies --format json
            """
    )

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    private struct Listing: Encodable {
        var licences: [Licence]
        var models: [BaseModel]
    }

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        printReport(formatOption.isJSON ? try PedigreeJSON.string(Listing(licences: set.licences, models: set.models)) : PolicyListText.render(set))
    }
}
