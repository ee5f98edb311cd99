import Foundation
import PedigreeTestSupport
import Testing

/// Runs the built `pedigree` binary as a user would.
@Suite("pedigree inspect (CLI)")
struct InspectCLITests {
    static func bytes(_ header: String, _ data: [UInt8]) -> [UInt8] { SafetensorsBytes.make(header: header, data: data) }

    /// A tiny file with SDXL's UNet and OpenCLIP-bigG prefixes (detected as SDXL).
    static func sdxlLike() -> [UInt8] {
        let header = SafetensorsBytes.header(
            "\"__metadata__\":{\"modelspec.title\":\"tiny\",\"format\":\"pt\"}",
            SafetensorsBytes.entry("model.diffusion_model.time_embed.0.bias", "F16", [4], 0, 8),
            SafetensorsBytes.entry("conditioner.embedders.1.model.ln_final.weight", "F32", [2, 3], 8, 32),
            SafetensorsBytes.entry("first_stage_model.scalar", "BF16", [], 32, 34))
        return bytes(header, SafetensorsBytes.filler(34, seed: 9))
    }

    static func pythonHashes(_ path: String) throws -> [String: String] {
        let script = #"""
import hashlib, json, sys
data = open(sys.argv[1], "rb").read()
start = 8 + int.from_bytes(data[:8], "little")
sha = hashlib.sha256(data).hexdigest()
print(json.dumps({"sha256": sha, "autov1": hashlib.sha256(data[0x100000:0x110000]).hexdigest()[:8],
                  "autov2": sha[:10].upper(), "autov3": hashlib.sha256(data[start:]).hexdigest()}))
"""#
        let result = try runPython(script: script, arguments: [path])
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode([String: String].self, from: Data(result.stdout.utf8))
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: pedigreeBinaryPath), "build first: swift build")
    }

    @Test(.pythonOracle) func jsonReportHasHashesCountsAndArchitecture() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Self.sdxlLike(), to: "tiny-sdxl.safetensors")
        let result = runPedigree(["inspect", path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let hashes = try #require(json["hashes"] as? [String: String])
        let want = try Self.pythonHashes(path)
        for key in ["sha256", "autov1", "autov2", "autov3"] {
            #expect(hashes[key] == want[key], "\(key)")
        }
        #expect(json["tensors"] as? Int == 3)
        #expect(json["parameters"] as? Int == 4 + 6 + 1)
        #expect(json["architecture"] as? String == "sdxl")
        #expect(json["path"] as? String == path)
        #expect(json["file_size"] as? Int == Self.sdxlLike().count)
        #expect((json["metadata"] as? [String: String])?["modelspec.title"] == "tiny")
        #expect((json["dtypes"] as? [String: Int]) == ["F16": 1, "F32": 1, "BF16": 1])
    }

    @Test(.pythonOracle) func textReportRuns() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Self.sdxlLike(), to: "tiny.safetensors")
        let result = runPedigree(["inspect", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(try Self.pythonHashes(path)["sha256"]!))
    }

    @Test func unknownArchitectureIsReported() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Self.bytes(SafetensorsBytes.header(SafetensorsBytes.entry("w", "U8", [2], 0, 2)), [1, 2]), to: "other.safetensors")
        let result = runPedigree(["inspect", path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["architecture"] as? String == "unknown")
    }

    /// Each malformed file: exit 2, nothing on stdout, one stderr line naming file, tensor and rule.
    @Test(arguments: [
        ("span", SafetensorsBytes.make(header: SafetensorsBytes.header(SafetensorsBytes.entry("x.weight", "F16", [3, 2], 0, 10)), data: SafetensorsBytes.filler(10)),
         ["tensor 'x.weight': data_offsets span 10 bytes but F16 [3, 2] needs 12", "[ST016]"]),
        ("dup", SafetensorsBytes.make(header: "{" + SafetensorsBytes.entry("a", "U8", [1], 0, 1) + "," + SafetensorsBytes.entry("a", "U8", [1], 1, 2) + "}", data: [0, 0]),
         ["tensor 'a'", "more than once", "[ST007]"]),
        ("small", [1, 2, 3], ["too small", "[ST001]"]),
        ("json", SafetensorsBytes.make(header: "{\"a\":"), ["header JSON invalid", "[ST006]"]),
        ("trail", SafetensorsBytes.make(header: "{}", data: [0, 0]), ["2 bytes trail", "[ST019]"]),
    ])
    func malformedFileExitsTwoWithOneLine(name: String, bytes: [UInt8], fragments: [String]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(bytes, to: "\(name).safetensors")
        let result = runPedigree(["inspect", path, "--format", "json"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: \(path): "), "\(line)")
        for fragment in fragments { #expect(line.contains(fragment), "\(line) lacks \(fragment)") }
    }

    @Test func missingArgumentIsAUsageError() {
        let result = runPedigree(["inspect"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("Missing expected argument"))
    }

    @Test func unsupportedFormatIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Self.sdxlLike(), to: "m.safetensors")
        #expect(runPedigree(["inspect", path, "--format", "html"]).status == 64)
    }

    @Test(arguments: [("model.ckpt", [0x80, 0x02, 0x7D, 0x71, 0x00, 0x2E] + SafetensorsBytes.filler(16)), ("torch.safetensors", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 8] + SafetensorsBytes.filler(64)),
                      ("raw.bin", [0x80, 0x02, 0x7D, 0x71, 0x00, 0x2E])])
    func pickleIsRefused(name: String, bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(bytes, to: name)
        let result = runPedigree(["inspect", path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: \(path): refusing a pickle-based checkpoint"), "\(result.stderr)")
        #expect(result.stderr.contains("Convert it to .safetensors") && result.stderr.contains("[ST020]"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func safetensorsNamedCkptIsInspectedByItsContent() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Self.sdxlLike(), to: "renamed.ckpt")
        let result = runPedigree(["inspect", path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("ST020"))
    }

    @Test func missingFileExitsTwo() throws {
        let dir = try TemporaryDirectory()
        let result = runPedigree(["inspect", dir.file("absent.safetensors")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("absent.safetensors: cannot open") && result.stderr.contains("[IO001]"))
    }

    /// Hashing hands 8 MiB blocks between two threads through a 4-block ring; with one CPU
    /// (taskset, 1-CPU containers) it once ran both loops on one thread and hung for files
    /// over 32 MiB.
    @Test(.pythonOracle) func hashingFinishesOnASingleCPU() throws {
        let dir = try TemporaryDirectory()
        let count = 40 << 20
        let path = try dir.write(SafetensorsBytes.make(header: SafetensorsBytes.header(SafetensorsBytes.entry("blob", "U8", [count], 0, count)),
                                                       data: [UInt8](repeating: 7, count: count)), to: "big.safetensors")
        let outcome = try runProcess("/usr/bin/timeout", ["60", "/usr/bin/taskset", "-c", "0", pedigreeBinaryPath, "inspect", path, "--format", "json"])
        #expect(outcome.status == 0, "status \(outcome.status) (124 = hung): \(outcome.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect((json["hashes"] as? [String: String])?["sha256"] == (try Self.pythonHashes(path))["sha256"])
    }
}
