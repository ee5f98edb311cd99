import ArgumentParser
import Foundation
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy lint [DIR]`: validates every policy file and cross-reference.
struct PolicyLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate the policy folder: YAML, fields, types, references, cycles, bands.",
        discussion: """
            Prints "ok: N licences, M models" and exits 0, or prints every problem on \
            standard error, one per line as file:line:col: field: message [CODE], and exits 2.

            EXAMPLES
              pedigree policy lint
              pedigree policy lint ./Policies
              pedigree policy lint --policies ./Policies
            """
    )

    @Argument(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var folder: String?

    @Option(help: "The policy folder, as every other command takes it.")
    var policies: String?

    func validate() throws {
        if folder != nil, policies != nil, folder != policies { throw ValidationError("give the policy folder once: as an argument or with --policies") }
    }

    func run() throws {
        let located: String
        switch PolicyLocator.locate(explicit: policies ?? folder) {
        case .success(let path): located = path
        case .failure(let error): throw error
        }
        switch PolicyLoader.load(folder: located) {
        case .success(let set):
            print("ok: \(set.licences.count) licences, \(set.models.count) models")
        case .failure(let problems):
            let color = Terminal.colorEnabled(forStderr: true)
            for error in problems.errors {
                let code = color ? "\u{1B}[1;31m[\(error.code)]\u{1B}[0m" : "[\(error.code)]"
                Terminal.diagnostic("\(error.message) \(code)")
            }
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }
}
