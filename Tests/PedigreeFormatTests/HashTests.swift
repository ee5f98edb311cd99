import Foundation
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// Deterministic pseudo-random bytes, 8 at a time (fast even in debug builds).
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { raw in
        var i = 0
        while i + 8 <= count { raw.storeBytes(of: generator.next(), toByteOffset: i, as: UInt64.self); i += 8 }
        while i < count { raw[i] = UInt8(truncatingIfNeeded: generator.next()); i += 1 }
    }
    return bytes
}

/// A valid safetensors file of exactly `total` bytes: one U8 tensor after a header padded
/// with spaces to `headerLength` bytes.
func sizedFile(total: Int, headerLength: Int = 96, seed: UInt64) -> [UInt8] {
    let dataLength = total - 8 - headerLength
    var header = ST.header(ST.entry("blob", "U8", [dataLength], 0, dataLength))
    precondition(header.utf8.count <= headerLength)
    header += String(repeating: " ", count: headerLength - header.utf8.count)
    return ST.make(header: header, data: randomBytes(dataLength, seed: seed))
}

/// The four hashes computed independently with Python's hashlib.
func pythonHashes(_ files: [(path: String, dataStart: Int)]) throws -> [CheckpointHashes] {
    let script = #"""
import hashlib, json, sys
out = []
for path, start in zip(sys.argv[1::2], sys.argv[2::2]):
    data = open(path, "rb").read()
    sha = hashlib.sha256(data).hexdigest()
    out.append({"sha256": sha, "autov1": hashlib.sha256(data[0x100000:0x110000]).hexdigest()[:8],
                "autov2": sha[:10].upper(), "autov3": hashlib.sha256(data[int(start):]).hexdigest()})
print(json.dumps(out))
"""#
    let result = try runPython(script: script, arguments: files.flatMap { [$0.path, String($0.dataStart)] })
    guard result.status == 0 else { throw ReferenceFixture.FixtureError(message: "python3 failed: \(result.stderr)") }
    return try JSONDecoder().decode([CheckpointHashes].self, from: Data(result.stdout.utf8))
}

@Suite("Checkpoint hashes against hashlib")
struct HashTests {
    @Test(.pythonOracle) func hashesOfTinyLargeAndBlockBoundaryFiles() throws {
        let dir = try TemporaryDirectory()
        let block = 8 << 20
        var files: [(name: String, bytes: [UInt8])] = [
            ("tiny", ST.make(header: ST.header(ST.entry("a", "F16", [3], 0, 6)), data: [1, 2, 3, 4, 5, 6])),
            ("empty-header", ST.make(header: "{}")),
            ("just-under-1mib", sizedFile(total: 0x100000 - 1, seed: 1)),
            ("partial-legacy-window", sizedFile(total: 0x100000 + 100, seed: 2)),  // fewer than 64 KiB after 1 MiB
            ("over-2mib", sizedFile(total: (2 << 20) + 12345, seed: 3)),
        ]
        for (i, total) in [block - 1, block, block + 1, 2 * block - 1, 2 * block + 7].enumerated() {
            files.append(("block-\(total)", sizedFile(total: total, seed: UInt64(10 + i))))
        }
        // A header longer than one block (whitespace padding is valid): the data starts in the second block.
        files.append(("header-past-block", sizedFile(total: block + 300_000, headerLength: block + 100, seed: 20)))
        files.append(("header-ends-at-block", sizedFile(total: block + 5000, headerLength: block - 8, seed: 21)))

        var opened: [(path: String, dataStart: Int)] = []
        for (name, bytes) in files {
            let path = try dir.write(bytes, to: name + ".safetensors")
            let file = try SafetensorsFile(path: path)
            #expect(file.fileSize == Int64(bytes.count))
            opened.append((path, file.header.dataStart))
        }
        let want = try pythonHashes(opened)
        for (index, entry) in opened.enumerated() {
            let got = try CheckpointHasher.hash(file: SafetensorsFile(path: entry.path))
            #expect(got == want[index], "\(files[index].name)")
            #expect(got.autov2.count == 10 && got.autov2 == got.autov2.uppercased() && got.sha256.hasPrefix(got.autov2.lowercased()))
            #expect(got.autov1.count == 8 && got.sha256.count == 64 && got.autov3.count == 64)
        }
        // The audit's one-stream SHA-256 is the same digest, and the cache serves it from
        // either entry kind without rehashing.
        let cache = HashCache(folder: dir.file("cache"))
        for (index, entry) in opened.enumerated() {
            let file = try SafetensorsFile(path: entry.path)
            #expect(try CheckpointHasher.sha256(reader: file.reader) == want[index].sha256, "\(files[index].name)")
            #expect(try cache.sha256(of: file) == want[index].sha256)
        }
        let again = HashCache(folder: dir.file("cache"))
        #expect(try again.sha256(of: SafetensorsFile(path: opened[2].path)) == want[2].sha256)
        #expect(try again.hashes(of: SafetensorsFile(path: opened[2].path)) == want[2], "a SHA-256-only entry does not stand in for the four hashes")
        // Known answers need no Python: SHA-256 of nothing for AutoV1 of a file under 1 MiB.
        let tiny = try CheckpointHasher.hash(file: SafetensorsFile(path: opened[0].path))
        #expect(tiny.autov1 == "e3b0c442")
    }

    @Test(.pythonOracle) func inspectorReportsTheSameHashes() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(sizedFile(total: (3 << 20) + 1, seed: 5), to: "m.safetensors")
        let report = try Inspector.inspect(path: path)
        let file = try SafetensorsFile(path: path)
        #expect(report.hashes == (try pythonHashes([(path, file.header.dataStart)]))[0])
        #expect(report.tensors == 1 && report.parameters == (3 << 20) + 1 - 104)
    }

    /// Hashing runs two threads that hand buffers over; several hashes at once (as parallel
    /// tests or a multi-file audit do) must neither deadlock nor mix their results.
    // The limit catches a hang, not slowness: in the full parallel suite on two cores (CLI
    // suites running torch beside it) this test can get little CPU for minutes.
    @Test(.timeLimit(.minutes(5))) func concurrentHashingFinishes() async throws {
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        for i in 0 ..< 6 { paths.append(try dir.write(sizedFile(total: (8 << 20) * 2 + 1000 * i, seed: UInt64(100 + i)), to: "c\(i).safetensors")) }
        let sequential = try paths.map { try CheckpointHasher.hash(file: SafetensorsFile(path: $0)) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, CheckpointHashes).self) { group in
            for (i, path) in paths.enumerated() {
                group.addTask { (i, try CheckpointHasher.hash(file: SafetensorsFile(path: path))) }
            }
            var results = [CheckpointHashes?](repeating: nil, count: paths.count)
            for try await (i, hashes) in group { results[i] = hashes }
            return results
        }
        #expect(concurrent.map { $0! } == sequential)
        #expect(Set(sequential.map(\.sha256)).count == paths.count)
    }
}
