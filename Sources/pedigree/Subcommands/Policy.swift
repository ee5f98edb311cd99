import ArgumentParser
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy …`: inspect and check the policy folder (licences, base models, bands).
struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and inspect the policy folder (licences, base models, similarity bands).",
        discussion: """
            The policy folder (default: Policies/ in the current directory, else the one \
            next to the pedigree executable's package) holds licences/*.yaml, models/*.yaml \
            and classification.yaml. See Policies/README.md for the schema.

            EXAMPLES
              pedigree policy lint
              pedigree policy list --format json
              pedigree policy show noobai-xl-eps-1.0
            """,
        subcommands: [PolicyLint.self, PolicyList.self, PolicyShow.self]
    )
}

/// Output formats shared by the policy subcommands.
enum PolicyOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

