import ArgumentParser
import Foundation
import PedigreeLineage
import PedigreePolicy
import PedigreeStore
import PedigreeReports
import PedigreeSupport

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit many checkpoints against the same references, remembering results between runs.",
        discussion: """
            Audits every checkpoint under the given paths: files, folders (every *.safetensors \
            below them) and lists of paths (*.txt or *.list, one a line). References are opened \
            once for the whole scan. Each result is stored, keyed by the candidate's SHA-256, the \
            policy set's digest, the references (ids and hashes) and pedigree's version: a \
            second scan skips what is stored under the same key, an edited policy re-audits, \
            --force re-audits everything. Results are committed one by one, so a scan that is \
            killed resumes where it stopped. By default as many candidates are audited at \
            once as the process has cores (CPU affinity and cgroup quota respected); --jobs N \
            overrides, and the summary says how many jobs ran.

            The store is SQLite by default (~/.local/share/pedigree/results.sqlite) or --db \
            FILE; --db postgres://USER@HOST:PORT/DATABASE shares one with a hub's workers.

            Exit status: 0 when every file passed, 1 when an audit failed, 2 when a file could \
            not be audited (it is named with its error code), 64 on usage errors.

            EXAMPLES
              pedigree scan uploads/
              pedigree scan uploads/ catalogue.txt --ref noobai-xl-eps-1.0=noob.safetensors --jobs 2 --db results.sqlite
              pedigree scan uploads/ --ref noobai-xl-eps-1.0 --format json | jq .by_verdict
            """)

    @Argument(help: "Checkpoints, folders (searched recursively) or lists of paths (*.txt, *.list).")
    var paths: [String]

    @OptionGroup var comparison: ComparisonOptions

    @Option(help: ArgumentHelp("The result store: a SQLite file, or postgres://USER@HOST:PORT/DATABASE.", valueName: "file|url"))
    var db: String?

    @Option(help: "Candidates audited at once, each with its share of the cores (default: the cores available to the process, after CPU affinity and cgroup limits).")
    var jobs: Int?

    @OptionGroup var audits: StoredAuditOptions

    @Option(help: "The summary's format: text or json.")
    var format: ReportFormat = .text

    func validate() throws {
        try ReportFormat.check(format, allowed: ReportFormat.textOrJSON)
        if let jobs, !(1 ... 64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
    }

    func run() throws {
        let jobs = self.jobs ?? JobCount.default
        let policySet = try PolicyLoader.locateAndLoad(explicit: comparison.policies)
        let candidates = try CandidateFinder.find(paths)
        let store = try StoreLocation.parse(db).open()
        defer { store.close() }
        let context = try comparison.auditContext(
            policies: policySet, reportDir: audits.reportDir, workersPerAudit: max(1, System.availableCores / jobs))
        let runner = ScanRunner(processor: CandidateProcessor(context: context, store: store, force: audits.force), jobs: jobs)
        let progress: any ProgressSink = Terminal.stderrIsTerminal ? TerminalProgressBar(unit: "files") : SilentProgress()
        let summary = runner.run(candidates, progress: progress)
        printReport(format == .json ? ScanSummaryRenderer.json(summary) : ScanSummaryRenderer.text(summary))
        // A file that could not be audited is invalid input (2) before any verdict counts.
        if summary.failed > 0 { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        if summary.anyFailed { throw Verdict.fail.exitCode }
    }
}
