import ArgumentParser
import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify saved compare results: bands, likely lineage, inherited obligations.",
        discussion: """
            Does what `audit` does after the comparison, from JSON written by \
            `pedigree compare --format json`. A result may hold only published headline \
            figures: each reference's mean_cosine and the reference baselines, e.g.

              {"candidate": {"path": "wai14.safetensors"},
               "references": [{"id": "illustrious-xl-v0.1", "mean_cosine": 0.98016},
                              {"id": "noobai-xl-eps-1.0", "mean_cosine": 0.99348}],
               "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.95641}]}

            Per-block and delta figures are used when present. With one input, the JSON \
            output is one report with inherits_from at its top level; with several, an array.

            EXAMPLES
              pedigree classify compare.json
              pedigree classify compare.json --release release.yaml --format md > REPORT.md
              pedigree classify a.json b.json c.json --format json
              pedigree classify compare.json --release release.yaml --format cyclonedx > model.cdx.json
            """)

    @Argument(help: "Compare results (JSON) to classify.")
    var compareResults: [String]

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @Option(help: "The release manifest (YAML) to check the obligations against.")
    var release: String?

    @Option(help: "Also write report files into this folder.")
    var reportDir: String?

    @Option(help: "Output format: text, md, json, html or cyclonedx (a CycloneDX 1.6 ML-BOM).")
    var format: ReportFormat = .text

    @Flag(help: "Keep the files' full local paths in the reports (default: file names and hashes only, fit for publishing).")
    var localPaths = false

    func validate() throws {
        try ReportFormat.check(format, allowed: ReportFormat.auditOutputs)
        if compareResults.isEmpty { throw ValidationError("give at least one compare result (JSON)") }
        if compareResults.count > 1, format == .md || format == .html || format == .cyclonedx {
            throw ValidationError("--format \(format.rawValue) takes one compare result; use text or json for several")
        }
    }

    func run() throws {
        let policySet = try PolicyLoader.locateAndLoad(explicit: policies)
        let manifest = try release.map { try ManifestLoader.load(path: $0, policies: policySet) }
        let reports = try compareResults.map { path in
            // References outside the policies (`compare --other`) are reported, never judged.
            let (compare, others) = try CompareResultFile.load(path).splittingNotInPolicies()
            var report = Auditor.audit(.init(compare: compare, policies: policySet, manifest: manifest, manifestPath: release))
            if !others.isEmpty { report.comparedOutsidePolicies = others }
            return localPaths ? report : report.withFileNamesOnly()
        }
        if reports.count == 1 {
            try emit(reports[0], format: format, reportDir: reportDir, policies: policySet)
            return
        }
        if let reportDir { for report in reports { _ = try ReportWriter(folder: reportDir).write(report) } }
        if format == .json {
            printReport(try PedigreeJSON.string(reports))
        } else {
            let renderer = AuditTextRenderer(colored: Terminal.colorEnabled(forStderr: false))
            printReport(reports.map { renderer.render($0) }.joined(separator: "\n\n"))
        }
        if reports.contains(where: { $0.outcome.verdict == .fail }) { throw Verdict.fail.exitCode }
    }
}
