import ArgumentParser
import Foundation
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy lint [DIR]`: validates every policy file and cross-reference, and reports
/// YAML files the loader would skip and placeholders a scaffold left.
struct PolicyLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate the policy folder: YAML, fields, types, references, cycles, bands, stray files.",
        discussion: """
            Prints "ok: N licences, M models" with the set's digest and exits 0, or prints every \
            problem on standard error, one per line as file:line:col: field: message [CODE], \
            and exits 2.

            Besides what every command checks when it loads the set, lint refuses a licence or \
            model file not named <id>.yaml [PO017] and an obligation id outside the \
            vocabulary [PO018].

            Warnings (exit 0 unless --strict): a YAML file the loader does not read — a model \
            dropped at the top level, a '.yml' extension, a file in an unknown folder — named \
            with where it belongs [PO015]; a TODO left by `policy new` [PO016]; an address on a \
            host not in classification.yaml's source_hosts, such as a mirror of a Hugging Face \
            page [PO020].

            EXAMPLES
              pedigree policy lint
              pedigree policy lint ./Policies --strict
              pedigree policy lint --policies ./Policies
            """
    )

    @Argument(help: "The policy folder (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable, else the embedded set).")
    var folder: String?

    @Option(help: "The policy folder, as every other command takes it.")
    var policies: String?

    func validate() throws {
        if folder != nil, policies != nil, folder != policies { throw ValidationError("give the policy folder once: as an argument or with --policies") }
    }

    @Flag(help: "Treat warnings (files not loaded, TODO placeholders, source hosts) as errors: exit 2.")
    var strict = false

    func run() throws {
        let located: PolicyLocator.Location
        switch PolicyLocator.locate(explicit: policies ?? folder) {
        case .success(let location): located = location
        case .failure(let error): throw error
        }
        let files: PolicyFiles
        var warnings: [PolicyWarning] = []
        switch located {
        case .folder(let path):
            files = PolicyFiles.read(folder: path)
            warnings += PolicyInventory.unloadedFiles(in: path)
        case .embedded:
            files = .embedded
        }
        warnings += PolicyInventory.placeholders(in: files)
        let style = ANSIStyle.forStderr()
        let result = PolicyLoader.load(files)
        var lintErrors: [PolicyError] = []
        switch result {
        case .failure(let problems): lintErrors = problems.errors
        case .success(let set):
            lintErrors = PolicyLintChecks.errors(in: set)
            warnings += PolicyInventory.sourceHosts(in: files, allowed: set.sourceHosts)
        }
        for error in lintErrors { Terminal.diagnostic("\(TerminalEscaping.escape(error.message)) \(style.boldRed("[\(error.code)]"))") }
        for warning in warnings {
            let tag = "[\(warning.code)]"
            Terminal.diagnostic((strict ? "error: " : "warning: ") + "\(warning.message) \(strict ? style.boldRed(tag) : style.boldYellow(tag))")
        }
        guard case .success(let set) = result, lintErrors.isEmpty, !(strict && !warnings.isEmpty) else {
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        let suffix = warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s"))"
        print("ok: \(set.licences.count) licences, \(set.models.count) models\(suffix)")
        if let identity = set.identity { print("set: \(identity.summary)") }
    }
}
