import Foundation
import PedigreeStore
import PedigreeTestSupport
import Testing

/// Two `pedigree worker` processes on one PostgreSQL queue, one killed with SIGKILL while
/// it holds a job: every result exists exactly once and matches a single-process scan.
@Suite(.serialized, .heavy, .enabled(if: PostgresGate.available, PostgresGate.reason))
struct WorkerCLITests {
    @Test func twoWorkersOneKilledMidJobEveryResultOnce() throws {
        let url = try StoreFixtures.freshDatabase()
        let enqueued = runPedigree(["enqueue", "--db", url, Catalogue.uploadsFolder])
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        #expect(enqueued.stdout.contains("enqueued \(Catalogue.count) of \(Catalogue.count)"))
        #expect(runPedigree(["enqueue", "--db", url, Catalogue.uploadsFolder]).stdout.contains("enqueued 0 of \(Catalogue.count)"))

        guard case let .postgres(parsed) = try StoreLocation.parse(url) else {
            Issue.record("the fixture's database is not PostgreSQL: \(url)")
            return
        }
        let store = try PostgresResultStore(url: parsed)
        defer { store.close() }
        // One claim loop a process (workers default to one a core, each under `owner/K`): the
        // test follows one process's lease from its death to its reclaim.
        let workerArgs = ["worker", "--db", url] + Catalogue.refArgs + ["--exit-when-empty", "--lease-seconds", "2", "--poll-seconds", "0.2", "--jobs", "1"]

        // Worker A holds every job it claims for a minute: it is certainly mid-job when killed.
        let doomed = try Catalogue.start(workerArgs, environment: ["PEDIGREE_TEST_HOLD_AFTER_CLAIM": "60"])
        let owner = "\(ProcessInfo.processInfo.hostName):\(doomed.processIdentifier)"
        var held: Int64?
        #expect(try Catalogue.waitFor(60) {
            held = try store.jobs().first { $0.status == "running" && $0.owner == owner }?.id
            return held != nil
        })
        // Worker B starts while A holds its job; then A dies.
        let survivor = try Catalogue.start(workerArgs)
        #expect(try Catalogue.waitFor(60) { try store.counts().done >= 2 })
        kill(doomed.processIdentifier, SIGKILL)
        doomed.waitUntilExit()
        #expect(doomed.terminationReason == .uncaughtSignal)

        // B drains the queue, takes A's job back once its lease expires, and exits.
        #expect(Catalogue.waitFor(300) { !survivor.isRunning })
        if survivor.isRunning { kill(survivor.processIdentifier, SIGKILL) }
        survivor.waitUntilExit()
        #expect(survivor.terminationStatus == 0)

        let jobs = try store.jobs()
        #expect(jobs.count == Catalogue.count)
        #expect(jobs.allSatisfy { $0.status == "done" })
        let reclaimed = try #require(jobs.first { $0.id == held })
        #expect(reclaimed.attempts == 2)
        #expect(reclaimed.owner != owner)

        let fromWorkers = runPedigree(["results", "--db", url, "--format", "json"])
        let workerFacts = try ResultFacts.parse(fromWorkers.stdout)
        #expect(workerFacts.count == Catalogue.count)
        #expect(Set(workerFacts.map(\.sha256)).count == Catalogue.count)

        let dir = try TemporaryDirectory()
        let single = dir.file("single.sqlite")
        _ = runPedigree(["scan", Catalogue.uploadsFolder] + Catalogue.refArgs + ["--db", single], environment: Catalogue.environment)
        let scanFacts = try ResultFacts.parse(runPedigree(["results", "--db", single, "--format", "json"]).stdout)
        #expect(Set(workerFacts) == Set(scanFacts))
    }
}
