import ArgumentParser
import PedigreeSupport

/// The root command: names the subcommands and nothing else. Each subcommand lives in
/// `Subcommands/<Verb>.swift` and only parses, calls the core, renders and picks the exit code.
struct Pedigree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pedigree",
        abstract: "Audit Stable Diffusion XL checkpoints for licence lineage before you publish them.",
        discussion: """
            Pedigree compares a checkpoint's weights with reference base models (mean cosine \
            similarity, per block and on deltas), infers its likely lineage, works out which \
            licence obligations it inherits, and checks them against your release manifest.

            EXIT CODES
              0   success
              1   the audit found unmet or unverifiable obligations
              2   invalid input (checkpoint, policy, manifest, fingerprint, compare result)
              64  usage error
              70  internal error (a bug in Pedigree; please report it)

            EXAMPLES
              pedigree demo
              pedigree inspect my-merge.safetensors
              pedigree audit my-merge.safetensors --ref sdxl-base-1.0=sdxl.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --release release.yaml
            """,
        version: ToolInfo.version,
        subcommands: PedigreeSubcommands.all
    )
}
