import Foundation
import PedigreeTestSupport
import Testing

/// Issue 11's concurrency and kill guarantees, through the built binary: processes that
/// share a cache folder never corrupt it; a damaged cache is ignored, rebuilt and reported;
/// SIGKILL at any moment while reports are written leaves whole files; stray temporaries
/// are removed by the next run.
@Suite("Caches and kills (CLI)", .serialized, .heavy)
struct CacheAndKillCLITests {
    /// Small files sharing tensors, so `audit` runs end to end in well under a second.
    static func files(in dir: TemporaryDirectory, count: Int) throws -> [String] {
        try (0 ..< count).map { i in
            try dir.write(HostileInputCLITests.file(metadata: "\"modelspec.title\":\"m\(i)\"", seed: UInt8(i)), to: "m\(i).safetensors")
        }
    }

    @Test func twoProcessesSharingTheCacheNeitherCorruptItNorLoseEntries() throws {
        let dir = try TemporaryDirectory()
        let models = try Self.files(in: dir, count: 8)
        let cache = dir.file("cache")
        // Two waves of four concurrent `compare` runs, each hashing two files into one cache.
        for wave in 0 ..< 2 {
            let group = DispatchGroup()
            let statuses = LockedArray()
            for i in 0 ..< 4 {
                let candidate = models[wave * 4 + i], reference = models[(wave * 4 + i + 1) % models.count]
                group.enter()
                DispatchQueue.global().async {
                    let r = runPedigree(["compare", candidate, "--ref", "sdxl-base-1.0=\(reference)"], environment: ["PEDIGREE_CACHE_DIR": cache])
                    statuses.append(r.status)
                    group.leave()
                }
            }
            group.wait()
            #expect(statuses.values.allSatisfy { $0 == 0 }, "\(statuses.values)")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: cache + "/hashes.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the cache must stay valid JSON")
        for model in models {
            #expect(entries.keys.contains { $0.hasSuffix("/" + URL(fileURLWithPath: model).lastPathComponent) }, "lost the entry of \(model)")
        }
    }

    @Test func aDamagedCacheIsIgnoredRebuiltAndReported() throws {
        let dir = try TemporaryDirectory()
        let models = try Self.files(in: dir, count: 2)
        let cache = dir.file("cache")
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        try Data("{\"truncated\": {\"size\": 1".utf8).write(to: URL(fileURLWithPath: cache + "/hashes.json"))
        let first = runPedigree(["compare", models[0], "--ref", "sdxl-base-1.0=\(models[1])"], environment: ["PEDIGREE_CACHE_DIR": cache])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("note: ") && first.stderr.contains("hashes.json") && first.stderr.contains("damaged"), "\(first.stderr)")
        let rebuilt = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache + "/hashes.json"))) as? [String: Any]
        #expect(rebuilt?.count == 2, "the cache is rebuilt with both files")
        let second = runPedigree(["compare", models[0], "--ref", "sdxl-base-1.0=\(models[1])"], environment: ["PEDIGREE_CACHE_DIR": cache])
        #expect(second.status == 0 && !second.stderr.contains("damaged"), "\(second.stderr)")
        #expect(second.stdout == first.stdout, "a cache changes speed, never the result")
    }

    /// The last line of every report a complete `audit` writes, by extension.
    static func completeEndings(_ folder: String) throws -> [String: String] {
        var endings: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasPrefix(".") {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            endings[URL(fileURLWithPath: name).pathExtension] = text.split(separator: "\n").last.map(String.init)
        }
        return endings
    }

    @Test func sigkillAtFiftyRandomPointsLeavesOnlyWholeReports() throws {
        let dir = try TemporaryDirectory()
        let models = try Self.files(in: dir, count: 2)
        let reports = dir.file("reports")
        let args = ["audit", models[0], "--ref", "sdxl-base-1.0=\(models[1])", "--report-dir", reports, "--format", "json"]
        let environment = ["PEDIGREE_CACHE_DIR": dir.file("cache"), "NO_COLOR": "1"]
        // One complete run first: the "old" files, and how long a run takes.
        let start = Date()
        let complete = runPedigree(args, environment: environment)
        let runtime = Date().timeIntervalSince(start)
        #expect([0, 1].contains(complete.status), "\(complete.stderr)")
        let endings = try Self.completeEndings(reports)
        #expect(endings.count == 4, "\(endings.keys)")

        var generator = SeededGenerator(seed: 11)
        var killedWhileRunning = 0
        for _ in 0 ..< 50 {
            let process = try startPedigree(args, environment: environment)
            usleep(UInt32(Double.random(in: 0 ... runtime * 1.1, using: &generator) * 1_000_000))
            if process.isRunning { killedWhileRunning += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Whatever the moment, every report present is a whole one.
            for name in try FileManager.default.contentsOfDirectory(atPath: reports) where !name.hasPrefix(".") {
                let text = try String(contentsOfFile: reports + "/" + name, encoding: .utf8)
                let ext = URL(fileURLWithPath: name).pathExtension
                #expect(text.split(separator: "\n").last.map(String.init) == endings[ext], "\(name) is partial after a kill")
                if ext == "json" { #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(name) is not whole JSON") }
            }
        }
        #expect(killedWhileRunning >= 25, "most kills must land while the process runs (\(killedWhileRunning))")
        // A stray temporary of a dead writer is removed by the next run; one of a live writer is kept.
        let jsonName = try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
        try Data("partial".utf8).write(to: URL(fileURLWithPath: reports + "/.\(jsonName).tmp-2147483646-1"))
        let next = runPedigree(args, environment: environment)
        #expect([0, 1].contains(next.status), "\(next.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: reports).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "stray temporaries left: \(leftovers)")
    }
}

/// A tiny thread-safe collector for statuses reported from several threads.
final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int32] = []
    func append(_ value: Int32) { lock.lock(); storage.append(value); lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return storage }
}
