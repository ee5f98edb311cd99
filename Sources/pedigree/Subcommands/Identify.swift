import ArgumentParser
import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeStore
import PedigreeSupport

/// `pedigree identify FILE…`: which known base model and file each checkpoint is, by its
/// SHA-256 alone (no audit, no reference).
struct Identify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say which known model and file each checkpoint is, by its SHA-256 (no audit needed).",
        discussion: """
            For each file, or every *.safetensors under each folder (and lists of paths, \
            *.txt or *.list, one a line, as `scan` takes them), prints the base model and the \
            published file the policies record under the file's SHA-256 — with how strongly \
            the recorded hash is backed, its source, the Hugging Face revision and Civitai ids \
            when recorded, and any conflicting value — or NONE. Hashes come from the hash \
            cache (~/.cache/pedigree, or $PEDIGREE_CACHE_DIR), so a folder is hashed once.

            A file's own modelspec.hash_sha256 is shown apart, under "Declared by the file", as \
            a hint: merge tools copy it from an input into the merge, so it never decides \
            identity. A file is judged by its content: a pickle is refused (ST020) whatever it \
            is called. A diffusers folder or a sharded checkpoint has no single-file identity.

            Exit status: 0 when every path was read (known or not), 2 when one could not be \
            (it is named on stderr with its code; the others are still reported), 64 on usage errors.

            EXAMPLES
              pedigree identify my-merge.safetensors ill01.safetensors
              pedigree identify uploads/ --format json | jq '.files[] | select(.identity) | .path'
              pedigree identify new-uploads.txt --policies ./Policies
            """)

    @Argument(help: "Checkpoints, folders (searched recursively) or lists of paths (*.txt, *.list).")
    var paths: [String]

    @Option(help: "The policy folder (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable, else the embedded set).")
    var policies: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        let candidates = try CandidateFinder.find(paths)
        let cache = CLICaches.hashes()
        var identified: [FileIdentification] = []
        var failures: [IdentifyRenderer.Failure] = []
        // New files are hashed side by side, one SHA-256 stream a core (issue 34).
        let outcomes = FileIdentifier.identifyAll(paths: candidates, policies: set, cache: cache, limit: Comparison.hashStreamLimit,
                                                  progress: { TerminalProgressBar.forStderr() })
        for (path, outcome) in zip(candidates, outcomes) {
            do {
                identified.append(try outcome.get())
            } catch let error as any PedigreeError {
                Terminal.diagnostic("error: \(TerminalEscaping.escape(error.message)) [\(error.code)]")
                failures.append(.init(path: path, code: error.code, error: TerminalEscaping.escape(error.message)))
            }
        }
        printReport(formatOption.isJSON ? try IdentifyRenderer.json(identified, errors: failures)
                                        : IdentifyRenderer.text(identified, errors: failures))
        if !failures.isEmpty { throw ExitCode(ExitStatus.invalidInput.rawValue) }
    }
}
