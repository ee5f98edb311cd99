import ArgumentParser
import Foundation
import PedigreeAuthoring
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

/// `pedigree policy test [DIR]`: runs the policy folder's fixture cases (tests/*.yaml).
struct PolicyTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the policy set's test cases (tests/*.yaml): expected lineage, inheritance, obligations, exit code.",
        discussion: """
            Each case gives compare figures (headline mean cosines, as `classify` takes \
            them, or a compare JSON) and optionally a release manifest, and the outcome the \
            policies must produce: lineage, likely_base, borderline, inherits, unmet and \
            unverifiable obligations (as licence/obligation), findings (codes), exit. A \
            change to a licence's obligations shows up as a failing case.

            Exit status: 0 when every case passes, 1 when one fails, 2 when a case file or \
            the policy set is invalid.

            EXAMPLES
              pedigree policy test
              pedigree policy test ./Policies --format json
              pedigree policy test --cases Policies/tests
            """
    )

    @Argument(help: "The policy folder (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable, else the embedded set).")
    var folder: String?

    @Option(help: "Folder of case files (default: tests/ in the policy folder).")
    var cases: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    func run() throws {
        let (set, location) = try PolicyLoader.locateAndLoadWithPlace(explicit: folder)
        var testCases: [PolicyTestCase] = []
        if let folder = cases ?? { if case .folder(let path) = location { return path + "/tests" } else { return nil } }() {
            let files = PolicyTestRunner.caseFiles(in: folder)
            if files.isEmpty { throw ValidationError("no test case files (*.yaml) in \(folder)") }
            for file in files { testCases += try PolicyTestCase.read(file: file) }
        } else {
            for file in EmbeddedPolicyFiles.all where file.path.hasPrefix("tests/") && file.path.hasSuffix(".yaml") {
                testCases += try PolicyTestCase.read(text: file.text, file: PolicyFiles.embeddedRoot + "/" + file.path)
            }
        }
        let results = testCases.map { PolicyTestRunner.run($0, policies: set) }
        let failed = results.filter { !$0.passed }
        printReport(formatOption.isJSON ? try PedigreeJSON.string(results) : PolicyTestText.render(results, identity: set.identity))
        if !failed.isEmpty { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}
