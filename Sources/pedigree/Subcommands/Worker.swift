import ArgumentParser
import Foundation
import PedigreePolicy
import PedigreeStore
import PedigreeSupport

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit jobs from a hub's shared PostgreSQL queue, one at a time, until stopped.",
        discussion: """
            Claims the oldest claimable job with FOR UPDATE SKIP LOCKED under a lease that it \
            renews while it works, audits the file exactly as scan does, and completes the job \
            and writes its result in one transaction. A worker that dies stops renewing: its \
            job returns to the queue when the lease runs out, and another worker takes it. \
            Run one per machine against the same database: by default it audits as many jobs \
            at once as the process has cores (CPU affinity and cgroup quota respected), each \
            under its own lease; --jobs N overrides, and the closing line says how many ran.

            EXAMPLES
              pedigree worker --db postgres://pedigree@db.hub.internal:5432/pedigree --ref sdxl-base-1.0 --ref illustrious-xl-v0.1 --ref noobai-xl-eps-1.0 --exit-when-empty
              pedigree worker --db postgres://pedigree@localhost/pedigree --exit-when-empty --lease-seconds 120
              pedigree worker --db postgres://pedigree@localhost/pedigree --jobs 1 --exit-when-empty
            """)

    @Option(help: ArgumentHelp("The shared store: postgres://USER@HOST:PORT/DATABASE.", valueName: "url"))
    var db: String

    @OptionGroup var comparison: ComparisonOptions

    @Flag(help: "Stop once nothing is queued or running (for batch runs).")
    var exitWhenEmpty = false

    @Option(help: "Seconds a claimed job stays this worker's without renewal.")
    var leaseSeconds: Double = 60

    @Option(help: "Seconds between looks at an empty queue.")
    var pollSeconds: Double = 2

    @Option(help: "Jobs audited at once, each with its share of the cores (default: the cores available to the process, after CPU affinity and cgroup limits).")
    var jobs: Int?

    @OptionGroup var audits: StoredAuditOptions

    func validate() throws {
        guard leaseSeconds >= 1, leaseSeconds <= 86_400 else { throw ValidationError("--lease-seconds must be between 1 and 86400") }
        if let jobs, !(1 ... 64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
        guard pollSeconds > 0, pollSeconds <= 3_600 else { throw ValidationError("--poll-seconds must be between 0 and 3600") }
    }

    func run() throws {
        guard case let .postgres(url) = try StoreLocation.parse(db) else { throw StoreError.needsPostgres(command: "worker") }
        let policySet = try PolicyLoader.locateAndLoad(explicit: comparison.policies)
        let store = try PostgresResultStore(url: url)
        defer { store.close() }
        let jobs = self.jobs ?? JobCount.default
        let context = try comparison.auditContext(policies: policySet, reportDir: audits.reportDir, workersPerAudit: max(1, System.availableCores / jobs))
        var options = WorkerOptions()
        options.exitWhenEmpty = exitWhenEmpty
        options.leaseSeconds = leaseSeconds
        options.pollSeconds = pollSeconds
        options.force = audits.force
        // Test hook (undocumented on purpose): hold each claimed job this long before auditing.
        if let hold = ProcessInfo.processInfo.environment["PEDIGREE_TEST_HOLD_AFTER_CLAIM"].flatMap(Double.init) {
            options.holdAfterClaim = min(max(hold, 0), 600)
        }
        let stats = try QueueWorker.run(context: context, queue: store, options: options, jobs: jobs) { Terminal.diagnostic($0) }
        printReport("worker \(options.owner) (\(jobs) job\(jobs == 1 ? "" : "s")): \(stats.audited) audited, \(stats.alreadyStored) already stored, \(stats.failed) failed, \(stats.leasesLost) leases lost")
    }
}
