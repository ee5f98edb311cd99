import Foundation
import PedigreeLineage
@testable import PedigreeStore
import Testing

/// Fails under CI when no test server was started, so a broken `.ci/run` cannot turn the
/// PostgreSQL tests into silent skips.
@Suite struct PostgresGateTests {
    @Test func aServerIsGivenUnderCI() {
        if PostgresGate.inCI {
            #expect(PostgresGate.available, "CI is set but PEDIGREE_TEST_POSTGRES is not: .ci/run must start PostgreSQL")
        }
    }
}

@Suite(.heavy, .enabled(if: PostgresGate.available, PostgresGate.reason))
struct PostgresStoreTests {
    func open() throws -> PostgresResultStore {
        guard case let .postgres(url) = try StoreLocation.parse(try StoreFixtures.freshDatabase()) else { throw StoreError.needsPostgres(command: "test") }
        return try PostgresResultStore(url: url)
    }

    @Test func sameTablesSameBehaviourAsSQLite() throws {
        let store = try open()
        defer { store.close() }
        let first = StoreFixtures.result(1)
        #expect(try store.result(for: first.key) == nil)
        #expect(try store.record(first, stamp: FileStamp(path: "/x", size: 3, modifiedNanoseconds: 5, inode: 7), replace: false))
        #expect(try store.record(first, stamp: nil, replace: false) == false)
        #expect(try store.result(for: first.key) == first)
        #expect(try store.knownHash(FileStamp(path: "/x", size: 3, modifiedNanoseconds: 5, inode: 7)) == first.key.candidateSHA256)
        #expect(try store.knownHash(FileStamp(path: "/x", size: 3, modifiedNanoseconds: 6, inode: 7)) == nil)
        try store.record(StoreFixtures.result(2, verdict: .pass, inherited: ["illustrious-xl-v0.1"]), stamp: nil, replace: false)
        #expect(try store.results(ResultFilter(verdict: .pass)).count == 1)
        #expect(try store.results(ResultFilter(inherits: "noobai-xl-eps-1.0")).map(\.key) == [first.key])
        #expect(try store.results(ResultFilter()).count == 2)
    }

    @Test func migrationsApplyOnceAcrossReopens() throws {
        let url = try StoreFixtures.freshDatabase()
        guard case let .postgres(parsed) = try StoreLocation.parse(url) else { return }
        // Several processes' worth of opens at once: the advisory lock serialises them.
        let opened = try (0 ..< 3).map { _ in try PostgresResultStore(url: parsed) }
        try opened[0].record(StoreFixtures.result(1), stamp: nil, replace: false)
        #expect(try opened[2].results(ResultFilter()).count == 1)
        opened.forEach { $0.close() }
    }

    @Test func enqueueIsIdempotentAndClaimsNeverOverlap() throws {
        let store = try open()
        defer { store.close() }
        #expect(try store.enqueue(["/a", "/b", "/c"]) == 3)
        #expect(try store.enqueue(["/a", "/d"]) == 1)
        let claims = try (0 ..< 4).compactMap { i in try store.claim(owner: "w\(i)", leaseSeconds: 60) }
        #expect(Set(claims.map(\.path)) == ["/a", "/b", "/c", "/d"])
        #expect(try store.claim(owner: "w9", leaseSeconds: 60) == nil)
        #expect(try store.counts() == QueueCounts(queued: 0, running: 4, done: 0, failed: 0))
    }

    @Test func anExpiredLeaseReturnsTheJobAndOnlyTheHolderCompletes() throws {
        let store = try open()
        defer { store.close() }
        _ = try store.enqueue(["/m.safetensors"])
        let dead = try #require(try store.claim(owner: "dead", leaseSeconds: 0.2))
        #expect(try store.claim(owner: "live", leaseSeconds: 60) == nil)
        Thread.sleep(forTimeInterval: 0.4)
        let taken = try #require(try store.claim(owner: "live", leaseSeconds: 60))
        #expect(taken.id == dead.id && taken.attempts == 2)
        // The worker that lost its lease neither renews nor writes.
        #expect(try store.renew(dead, owner: "dead", leaseSeconds: 60) == false)
        let result = StoreFixtures.result(5, path: "/m.safetensors")
        #expect(try store.complete(dead, owner: "dead", result: result, stamp: nil, replace: false) == false)
        #expect(try store.results(ResultFilter()).isEmpty)
        #expect(try store.renew(taken, owner: "live", leaseSeconds: 60))
        #expect(try store.complete(taken, owner: "live", result: result, stamp: nil, replace: false))
        #expect(try store.complete(taken, owner: "live", result: result, stamp: nil, replace: false) == false)
        #expect(try store.results(ResultFilter()).count == 1)
        #expect(try store.counts() == QueueCounts(queued: 0, running: 0, done: 1, failed: 0))
        // Done jobs free the path: enqueueing it again is a new job.
        #expect(try store.enqueue(["/m.safetensors"]) == 1)
    }

    @Test func aFailedJobKeepsItsError() throws {
        let store = try open()
        defer { store.close() }
        _ = try store.enqueue(["/bad"])
        let job = try #require(try store.claim(owner: "w", leaseSeconds: 60))
        try store.fail(job, owner: "w", error: "bad header [ST001]")
        #expect(try store.counts().failed == 1)
        #expect(try store.jobs().first?.status == "failed")
    }

    @Test func anUnreachableServerIsOneLineError() throws {
        guard case let .postgres(url) = try StoreLocation.parse("postgres://nobody@127.0.0.1:1/none") else { return }
        do {
            _ = try PostgresResultStore(url: url)
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            #expect(error.code == "DB002")
            #expect(!error.message.contains("\n"))
        }
    }
}
