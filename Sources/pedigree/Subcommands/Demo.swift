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
            1.0 — plus three candidate releases with their release manifests: a NoobAI \
            merge sold as "Illustrious", a clean Illustrious fine-tune, and a far-off model. \
            Audits all three against the shipped policies and writes their reports.

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

/// The short summary the demo prints.
enum DemoSummary {
    static func render(_ outcome: DemoRunner.Outcome, reportDir: String, seconds: Double, colored: Bool) -> String {
        let style = ANSIStyle(enabled: colored)
        var lines = [
            "Pedigree demo: a synthetic SDXL family (real tensor names and shapes, widths ÷\(DemoRunner.widthDivisor)) with a planted lineage",
            "  references  \(DemoRunner.references.joined(separator: ", "))",
            "  family      \(outcome.familyFolder)\(outcome.generated ? " (generated)" : " (cached)")",
            "",
        ]
        for candidate in outcome.candidates {
            let report = candidate.report
            let passed = report.outcome.exitStatus == 0
            let verdict = passed ? style.boldGreen("PASS") : style.boldRed("FAIL")
            lines.append("\(verdict)  \(candidate.model) — \(candidate.story)")
            lines.append("      lineage: \(report.lineage.summary)")
            if !report.inheritsFrom.isEmpty { lines.append("      inherits from: \(report.inheritsFrom.joined(separator: ", "))") }
            lines.append("      \(report.outcome.summary)")
            for finding in report.findings where finding.severity == .error { lines.append("      ! \(finding.message)") }
            lines.append("      reports: \(candidate.reports.markdown) (+ .json, .html, .model-card.yaml)")
            lines.append("")
        }
        lines.append("Reports are in \(reportDir)/. Open the .html files in a browser, or read the .md ones.")
        lines.append(String(format: "Done in %.1f s. To audit your own checkpoint: pedigree audit --help", seconds))
        return lines.joined(separator: "\n")
    }
}
