import ArgumentParser
import PedigreeAuthoring
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

/// `pedigree policy diff OLD NEW`: what a change to the policies does.
struct PolicyDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a policy change does: obligations per model, inheritance, licences, bands.",
        discussion: """
            Both folders must load. For every model, lists the obligations it passes on \
            (as licence/obligation) that were added, removed or changed — through its own \
            licence, its ancestors' and `extends` — and the ancestors it gained or lost; \
            then model and licence edits and band and threshold changes. What a reviewer \
            reads on a policy pull request. Exit 0 whether or not anything changed.

            EXAMPLES
              pedigree policy diff shipped-policies Policies
              pedigree policy diff shipped-policies Policies --format json
            """
    )

    @Argument(help: "The policy folder before the change.")
    var old: String

    @Argument(help: "The policy folder after the change.")
    var new: String

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        func load(_ folder: String) throws -> PolicySet {
            switch PolicyLoader.load(folder: folder) {
            case .success(let set): return set
            case .failure(let problems): throw problems
            }
        }
        let diff = PolicyDiff.between(try load(old), try load(new))
        printReport(formatOption.isJSON ? try PedigreeJSON.string(diff) : PolicyDiffText.render(diff, old: old, new: new))
    }
}
