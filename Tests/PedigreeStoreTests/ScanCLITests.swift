import Foundation
import PedigreeStore
import PedigreeTestSupport
import Testing

/// `pedigree scan` and `pedigree results` end to end on SQLite, through the built binary.
@Suite(.serialized)
struct ScanCLITests {
    func scan(_ db: String, _ extra: [String] = [], paths: [String] = [Catalogue.uploadsFolder]) throws -> [String: Any] {
        let run = runPedigree(["scan"] + paths + Catalogue.refArgs + ["--db", db, "--format", "json"] + extra, environment: Catalogue.environment)
        #expect([0, 1].contains(run.status), "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    func facts(_ db: String) throws -> [ResultFacts] {
        let run = runPedigree(["results", "--db", db, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        return try ResultFacts.parse(run.stdout)
    }

    @Test func aSecondScanSkipsEverythingAndForceRedoesIt() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("results.sqlite")
        let first = try scan(db)
        #expect(first["files"] as? Int == Catalogue.count)
        #expect(first["audited"] as? Int == Catalogue.count)
        let byVerdict = first["by_verdict"] as? [String: Int] ?? [:]
        #expect(byVerdict.values.reduce(0, +) == Catalogue.count)
        // The planted NoobAI merges (every fourth upload) are found to inherit NoobAI.
        #expect((first["by_inherited"] as? [String: Int])?["noobai-xl-eps-1.0"] == Catalogue.count / 4)

        let second = try scan(db)
        #expect(second["audited"] as? Int == 0)
        #expect(second["already_stored"] as? Int == Catalogue.count)

        let forced = try scan(db, ["--force"])
        #expect(forced["audited"] as? Int == Catalogue.count)
        let stored = try facts(db)
        #expect(stored.count == Catalogue.count)
        #expect(Set(stored.map(\.sha256)).count == Catalogue.count)
    }

    @Test func anEditedPolicyReauditsAndTheOldResultsStay() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("results.sqlite")
        let policies = dir.file("Policies")
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: policies)
        let list = try dir.write(Array((Catalogue.uploads.prefix(3).map { Catalogue.uploadsFolder + "/\($0).safetensors" }.joined(separator: "\n") + "\n").utf8), to: "three.txt")
        #expect(try scan(db, ["--policies", policies], paths: [list])["audited"] as? Int == 3)
        #expect(try scan(db, ["--policies", policies], paths: [list])["audited"] as? Int == 0)
        let licence = policies + "/classification.yaml"
        let text = try String(contentsOfFile: licence, encoding: .utf8)
        try (text + "\n# reviewed again\n").write(toFile: licence, atomically: true, encoding: .utf8)
        #expect(try scan(db, ["--policies", policies], paths: [list])["audited"] as? Int == 3)
        #expect(try facts(db).count == 6)
    }

    @Test func resultsFilterAndExport() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("results.sqlite")
        _ = try scan(db)
        let all = try facts(db)
        let noob = runPedigree(["results", "--db", db, "--inherits", "noobai-xl-eps-1.0", "--format", "json"])
        #expect(try ResultFacts.parse(noob.stdout).count == all.filter { $0.inherits.contains("noobai-xl-eps-1.0") }.count)
        let failing = runPedigree(["results", "--db", db, "--verdict", "fail", "--format", "csv"])
        let lines = failing.stdout.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("candidate_path,candidate_sha256,verdict") == true)
        #expect(lines.count - 1 == all.filter { $0.verdict == "fail" }.count, "\(failing.stdout)")
        #expect(lines.dropFirst().allSatisfy { $0.contains(",fail,") })
        let text = runPedigree(["results", "--db", db])
        #expect(text.stdout.contains("\(all.count) results"))
        #expect(runPedigree(["results", "--db", db, "--verdict", "maybe"]).status == 64)
    }

    @Test func aBadFileIsNamedAndTheRestAreAudited() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write(Array("not a checkpoint at all".utf8), to: "broken.safetensors")
        let good = Catalogue.uploadsFolder + "/upload-01.safetensors"
        let run = runPedigree(["scan", bad, good] + Catalogue.refArgs + ["--db", dir.file("r.sqlite")], environment: Catalogue.environment)
        #expect(run.status == 2)
        #expect(run.stdout.contains("broken.safetensors"))
        #expect(run.stdout.contains("1 audited"))
    }

    @Test(.heavy) func killedAtAnyMomentResumesWithNothingLostOrCountedTwice() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("killed.sqlite")
        let log = dir.file("scan.stderr")
        let process = try Catalogue.start(["scan", Catalogue.uploadsFolder] + Catalogue.refArgs + ["--db", db], stderrFile: log)
        // Kill once some results are committed and others are not.
        var before = 0
        let reached = Catalogue.waitFor(120) {
            guard FileManager.default.fileExists(atPath: db) else { return false }
            before = (try? SQLiteResultStore(path: db).results(ResultFilter()).count) ?? 0
            return before >= 5
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(reached, "\(said.suffix(2000))")
        #expect(process.terminationReason == .uncaughtSignal, "\(said.suffix(2000))")
        let committed = try SQLiteResultStore(path: db).results(ResultFilter()).count
        try #require(committed < Catalogue.count, "the scan finished before it could be killed; the test proves nothing")

        let resumed = try scan(db)
        #expect(resumed["already_stored"] as? Int == committed)
        #expect(resumed["audited"] as? Int == Catalogue.count - committed)
        let afterResume = try facts(db)
        #expect(afterResume.count == Catalogue.count)

        let clean = dir.file("clean.sqlite")
        _ = try scan(clean)
        #expect(Set(afterResume) == Set(try facts(clean)))
    }

    @Test func helpHasExamples() {
        for command in ["scan", "results", "enqueue", "worker"] {
            let help = runPedigree([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("EXAMPLES"), "\(command)")
        }
    }

    @Test func enqueueAndWorkerRefuseSQLite() {
        let run = runPedigree(["enqueue", "--db", "/tmp/x.sqlite", "/tmp"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("[DB005]"))
    }
}
