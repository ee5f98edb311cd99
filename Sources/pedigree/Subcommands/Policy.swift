import ArgumentParser
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy …`: inspect and check the policy folder (licences, base models, bands).
struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and inspect the policy folder (licences, base models, similarity bands).",
        discussion: """
            The policy folder (--policies, else $PEDIGREE_POLICIES, else Policies/ in the \
            current directory, else one next to the pedigree executable, else the set \
            embedded in the executable) holds licences/*.yaml, models/*.yaml and \
            classification.yaml. JSON Schemas for editors are in schema/; see \
            Policies/README.md.

            EXAMPLES
              pedigree policy lint --strict
              pedigree policy list --format json
              pedigree policy show noobai-xl-eps-1.0
              pedigree policy test
              pedigree policy export my-policies
              pedigree policy diff my-policies Policies
              pedigree policy new model my-finetune-xl --parent noobai-xl-eps-1.0
            """,
        subcommands: [PolicyLint.self, PolicyList.self, PolicyShow.self, PolicyNew.self, PolicyTest.self,
                      PolicyDiffCommand.self, PolicyExportCommand.self]
    )
}
