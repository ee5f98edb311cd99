import ArgumentParser
import PedigreeFormat
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a checkpoint's architecture, components, metadata and hashes.",
        discussion: """
            Validates the file as strict safetensors (pickle-based .ckpt/.pt/.bin files are \
            refused), detects the architecture (SDXL, SD 1.x, SD 2.x, LoRA), counts tensors \
            and parameters per component, lists missing and unknown keys, shows __metadata__ \
            (modelspec.*, sd_merge_recipe, sd_merge_models) and computes, in one read, the \
            hashes hubs use: sha256, AutoV1, AutoV2 and AutoV3. An embedded hash that \
            disagrees with the computed one is reported.

            The last line of the hashes says which known model and file the checkpoint is, \
            by its SHA-256 in the policies (as `pedigree identify` does), or none. A file is \
            judged by its content, whatever its name.

            EXAMPLES
              pedigree inspect my-merge.safetensors
              pedigree inspect my-merge.safetensors --format json | jq .hashes
              pedigree inspect ill01.safetensors --format json | jq .identity
            """)

    @Argument(help: "The .safetensors checkpoint to inspect.")
    var file: String

    @Option(help: "The policy folder the identity is looked up in (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable, else the embedded set).")
    var policies: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        var report = try Inspector.inspect(path: file, progress: TerminalProgressBar.forStderr())
        report.identity = FileIdentifier.identity(sha256: report.hashes.sha256, policies: set)
        report.identityChecked = true
        printReport(formatOption.isJSON ? try PedigreeJSON.string(report) : InspectionText.render(report))
        if report.embeddedHashChecks.contains(where: { !$0.matches }) {
            Terminal.diagnostic("warning: an embedded hash disagrees with the file's contents (see above)")
        }
    }
}
