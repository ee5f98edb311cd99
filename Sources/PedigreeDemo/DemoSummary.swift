import Foundation
import PedigreeLineage
import PedigreeSupport

/// The short summary `pedigree demo` prints. It lives beside `DemoRunner`, not in
/// PedigreeReports, because it reads the runner's outcome and PedigreeDemo already
/// depends on PedigreeReports (the other way round would be a cycle).
public enum DemoSummary {
    public static func render(_ outcome: DemoRunner.Outcome, reportDir: String, seconds: Double, colored: Bool) -> String {
        let style = ANSIStyle(enabled: colored)
        var lines = [
            "Pedigree demo: a synthetic SDXL family (real tensor names and shapes, widths ÷\(DemoRunner.widthDivisor)) with a planted lineage",
            "  references  \(DemoRunner.references.joined(separator: ", "))",
            "  family      \(outcome.familyFolder)\(outcome.generated ? " (generated)" : " (cached)")",
            "",
        ]
        for candidate in outcome.candidates {
            let report = candidate.report
            let passed = report.outcome.verdict == .pass
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
