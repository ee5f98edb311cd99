import ArgumentParser
import PedigreeFormat
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

            EXAMPLES
              pedigree inspect my-merge.safetensors
              pedigree inspect my-merge.safetensors --format json | jq .hashes
            """)

    @Argument(help: "The .safetensors checkpoint to inspect.")
    var file: String

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let report = try Inspector.inspect(path: file, progress: TerminalProgressBar.forStderr())
        printReport(formatOption.isJSON ? try PedigreeJSON.string(report) : InspectionText.render(report))
        if report.embeddedHashChecks.contains(where: { !$0.matches }) {
            Terminal.diagnostic("warning: an embedded hash disagrees with the file's contents (see above)")
        }
    }
}
