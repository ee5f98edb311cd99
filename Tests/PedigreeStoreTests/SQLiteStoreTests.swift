import Foundation
import GRDB
import PedigreeTestSupport
import PedigreeLineage
@testable import PedigreeStore
import Testing

@Suite struct SQLiteStoreTests {
    @Test func recordsOnceAndFindsByKey() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteResultStore(path: dir.file("sub/results.sqlite"))
        let first = StoreFixtures.result(1)
        #expect(try store.result(for: first.key) == nil)
        #expect(try store.record(first, stamp: nil, replace: false))
        // The same key again, even from another path: one row, the first kept.
        var again = first
        again.candidatePath = "/elsewhere/copy.safetensors"
        #expect(try store.record(again, stamp: nil, replace: false) == false)
        #expect(try store.results(ResultFilter()).count == 1)
        #expect(try store.result(for: first.key) == first)
        // --force replaces the row, still one.
        #expect(try store.record(again, stamp: nil, replace: true))
        let rows = try store.results(ResultFilter())
        #expect(rows.count == 1)
        #expect(rows.first?.candidatePath == "/elsewhere/copy.safetensors")
        #expect(rows.first?.inherited == ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"])
    }

    @Test func aChangedKeyPartIsAnotherResult() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteResultStore(path: dir.file("results.sqlite"))
        try store.record(StoreFixtures.result(1, policy: "p1"), stamp: nil, replace: false)
        try store.record(StoreFixtures.result(1, policy: "p2"), stamp: nil, replace: false)
        #expect(try store.results(ResultFilter()).count == 2)
    }

    @Test func filtersByVerdictAndInheritance() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteResultStore(path: dir.file("results.sqlite"))
        try store.record(StoreFixtures.result(1, verdict: .fail), stamp: nil, replace: false)
        try store.record(StoreFixtures.result(2, verdict: .pass, inherited: ["illustrious-xl-v0.1"]), stamp: nil, replace: false)
        try store.record(StoreFixtures.result(3, verdict: .fail, inherited: []), stamp: nil, replace: false)
        #expect(try store.results(ResultFilter(verdict: .fail)).map(\.key.candidateSHA256) == [1, 3].map { String(format: "%064x", $0) })
        #expect(try store.results(ResultFilter(inherits: "noobai-xl-eps-1.0")).count == 1)
        #expect(try store.results(ResultFilter(inherits: "illustrious-xl-v0.1")).count == 2)
        #expect(try store.results(ResultFilter(verdict: .pass, inherits: "noobai-xl-eps-1.0")).isEmpty)
    }

    @Test func fileStampsFindUnchangedFilesOnly() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteResultStore(path: dir.file("results.sqlite"))
        let file = try dir.write([1, 2, 3], to: "model.safetensors")
        let stamp = try #require(FileStamp.of(file))
        try store.record(StoreFixtures.result(7, path: file), stamp: stamp, replace: false)
        #expect(try store.knownHash(stamp) == String(format: "%064x", 7))
        try Data([1, 2, 3, 4]).write(to: URL(fileURLWithPath: file))
        let changed = try #require(FileStamp.of(file))
        #expect(try store.knownHash(changed) == nil)
    }

    @Test func reopeningKeepsDataAndSchemaIsVersioned() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("results.sqlite")
        do {
            let store = try SQLiteResultStore(path: path)
            try store.record(StoreFixtures.result(1), stamp: nil, replace: false)
            store.close()
        }
        let reopened = try SQLiteResultStore(path: path)
        #expect(try reopened.results(ResultFilter()).count == 1)
        reopened.close()
        let migrations = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1"])
    }

    @Test func refusesAStoreFromANewerPedigree() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("results.sqlite")
        try SQLiteResultStore(path: path).close()
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        #expect(throws: StoreError.newerSchema(location: path, found: 99, known: Schema.latestVersion)) {
            try SQLiteResultStore(path: path)
        }
    }

    @Test func aFileThatIsNotADatabaseIsOneLineError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Array("this is not sqlite, just text that is long enough to have a header page".utf8), to: "bad.sqlite")
        do {
            _ = try SQLiteResultStore(path: path)
            Issue.record("opened a text file as a store")
        } catch let error as StoreError {
            #expect(["DB002", "DB003"].contains(error.code))
            #expect(!error.message.contains("\n"))
        }
    }
}

@Suite struct ResultKeyTests {
    @Test func referenceOrderDoesNotMatterButEveryPartDoes() {
        let a = ReferenceIdentity(id: "a", sha256: "1"), b = ReferenceIdentity(id: "b", sha256: "2")
        let k1 = ResultKey(candidateSHA256: "c", policyDigest: "p", references: [a, b], toolVersion: "v")
        let k2 = ResultKey(candidateSHA256: "c", policyDigest: "p", references: [b, a], toolVersion: "v")
        #expect(k1.digest == k2.digest)
        #expect(k1.referenceSet == "a=1,b=2")
        let variants = [
            ResultKey(candidateSHA256: "d", policyDigest: "p", references: [a, b], toolVersion: "v"),
            ResultKey(candidateSHA256: "c", policyDigest: "q", references: [a, b], toolVersion: "v"),
            ResultKey(candidateSHA256: "c", policyDigest: "p", references: [a, ReferenceIdentity(id: "b", sha256: "3")], toolVersion: "v"),
            ResultKey(candidateSHA256: "c", policyDigest: "p", references: [a], toolVersion: "v"),
            ResultKey(candidateSHA256: "c", policyDigest: "p", references: [a, b], toolVersion: "w"),
        ]
        #expect(Set(variants.map(\.digest) + [k1.digest]).count == variants.count + 1)
    }

    @Test func locationsParse() throws {
        #expect(try StoreLocation.parse("x.sqlite") == .sqlite(path: "x.sqlite"))
        guard case let .postgres(url) = try StoreLocation.parse("postgres://bob:s%40cret@db.example:6543/hub") else {
            Issue.record("not postgres"); return
        }
        #expect(url.host == "db.example" && url.port == 6543 && url.user == "bob" && url.password == "s@cret" && url.database == "hub")
        #expect(!url.display.contains("cret"))
        #expect(throws: StoreError.self) { try StoreLocation.parse("postgres://host") }
        #expect(throws: StoreError.self) { try StoreLocation.parse("mysql://host/db") }
        if case let .sqlite(path) = try StoreLocation.parse(nil) { #expect(path.hasSuffix("pedigree/results.sqlite")) }
    }
}

@Suite struct ResultsRendererTests {
    @Test func csvQuotesAndDefusesFormulas() {
        #expect(ResultsRenderer.csvField("plain") == "plain")
        #expect(ResultsRenderer.csvField("a,b") == "\"a,b\"")
        #expect(ResultsRenderer.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ResultsRenderer.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(ResultsRenderer.csvField("line\nbreak") == "\"line\nbreak\"")
    }

    @Test func textNeverCarriesControlCharacters() {
        let hostile = StoreFixtures.result(1, path: "/up/\u{1B}[2Jevil\u{07}.safetensors")
        let text = ResultsRenderer.render([hostile], format: .text)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func jsonEmbedsTheAuditWhole() throws {
        let json = ResultsRenderer.render([StoreFixtures.result(4)], format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let first = try #require((object["results"] as? [[String: Any]])?.first)
        #expect((first["audit"] as? [String: Any])?["attribution"] != nil)
        #expect(object["count"] as? Int == 1)
    }
}
