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
            Run one per machine (or more, with --jobs-sized machines) against the same database.

            EXAMPLES
              pedigree worker --db postgres://pedigree@db.hub.internal:5432/pedigree --ref sdxl-base-1.0 --ref illustrious-xl-v0.1 --ref noobai-xl-eps-1.0 --exit-when-empty
              pedigree worker --db postgres://pedigree@localhost/pedigree --exit-when-empty --lease-seconds 120
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

    @OptionGroup var audits: StoredAuditOptions

    func validate() throws {
        guard leaseSeconds >= 1, leaseSeconds <= 86_400 else { throw ValidationError("--lease-seconds must be between 1 and 86400") }
        guard pollSeconds > 0, pollSeconds <= 3_600 else { throw ValidationError("--poll-seconds must be between 0 and 3600") }
    }

    func run() throws {
        guard case let .postgres(url) = try StoreLocation.parse(db) else { throw StoreError.needsPostgres(command: "worker") }
        let policySet = try PolicyLoader.locateAndLoad(explicit: comparison.policies)
        let store = try PostgresResultStore(url: url)
        defer { store.close() }
        let context = try comparison.auditContext(policies: policySet, reportDir: audits.reportDir, workersPerAudit: System.activeProcessorCount)
        var options = WorkerOptions()
        options.exitWhenEmpty = exitWhenEmpty
        options.leaseSeconds = leaseSeconds
        options.pollSeconds = pollSeconds
        options.force = audits.force
        // Test hook (undocumented on purpose): hold each claimed job this long before auditing.
        if let hold = ProcessInfo.processInfo.environment["PEDIGREE_TEST_HOLD_AFTER_CLAIM"].flatMap(Double.init) {
            options.holdAfterClaim = min(max(hold, 0), 600)
        }
        let stats = try QueueWorker(context: context, queue: store, options: options).run { Terminal.diagnostic($0) }
        printReport("worker \(options.owner): \(stats.audited) audited, \(stats.alreadyStored) already stored, \(stats.failed) failed, \(stats.leasesLost) leases lost")
    }
}
