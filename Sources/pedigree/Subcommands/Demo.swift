import ArgumentParser
import Foundation
import PedigreeDemo
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the main job on a built-in synthetic SDXL family, and write its reports.",
        discussion: """
            Generates (once, then cached) a small SDXL-shaped family with a planted \
            lineage — stand-ins for SDXL base, Illustrious XL 0.1 and 2.0 and NoobAI XL eps \
            1.0 — plus four candidate releases with their release manifests: a NoobAI \
            merge sold as "Illustrious", a clean Illustrious fine-tune, a far-off model, and \
            an Illustrious fine-tune trained on data like NoobAI's. Audits all four against \
            the shipped policies and writes their reports.

            The demo succeeds (exit 0) when it ran; the audits inside it show exit 1 for \
            the two releases that would fail the publishing gate.

            EXAMPLES
              swift run -c release pedigree demo
              pedigree demo --report-dir /tmp/demo-reports
            """)

    @Option(help: "Folder the demo's reports are written to.")
    var reportDir: String = "Reports/demo"

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    func run() throws {
        let policySet = try PolicyLoader.locateAndLoad(explicit: policies)
        let started = Date()
        let outcome = try DemoRunner.run(policies: policySet, reportFolder: reportDir, progress: TerminalProgressBar.forStderr())
        printReport(DemoSummary.render(outcome, reportDir: reportDir, seconds: Date().timeIntervalSince(started),
                                       colored: Terminal.colorEnabled(forStderr: false)))
    }
}
