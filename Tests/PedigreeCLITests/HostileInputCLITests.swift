import Foundation
import PedigreeTestSupport
import Testing

/// The hostile-metadata candidates of issue 11: each goes through `inspect`, `compare` and
/// `audit` as a user would run them, and must end in exit 2 (a one-line error with a code)
/// or a normal verdict (0 or 1) within 10 s, with no raw control character in any output
/// and no raw markup in the Markdown and HTML reports.
@Suite("Hostile input (CLI)", .serialized)
struct HostileInputCLITests {
    /// JSON text for `string`, control characters escaped as JSON requires.
    static func json(_ string: String) -> String {
        String(decoding: try! JSONEncoder().encode(string), as: UTF8.self)
    }

    /// Tensors every candidate shares with the reference, so an accepted file gets a verdict.
    static let shared: [(name: String, shape: [Int])] = [
        ("model.diffusion_model.out.2.weight", [4, 8]),
        ("model.diffusion_model.input_blocks.0.0.weight", [8, 4, 1, 1]),
    ]

    /// A file with the shared tensors (F32, filler data), plus `metadata` entries given as
    /// raw JSON members and `extraEntries` given as raw header entries.
    static func file(metadata: String?, extraEntries: [String] = [], seed: UInt8 = 0) -> [UInt8] {
        var entries: [String] = []
        if let metadata { entries.append("\"__metadata__\":{\(metadata)}") }
        var offset = 0
        for tensor in shared {
            let bytes = tensor.shape.reduce(1, *) * 4
            entries.append(SafetensorsBytes.entry(tensor.name, "F32", tensor.shape, offset, offset + bytes))
            offset += bytes
        }
        entries += extraEntries
        let header = "{" + entries.joined(separator: ",") + "}"
        // Filler floats that are finite and small: byte patterns 0x3F00…, one per element.
        var data: [UInt8] = []
        for i in 0 ..< offset / 4 { data += [UInt8(truncatingIfNeeded: i &+ Int(seed)), 0, 0x80, 0x3F] }
        return SafetensorsBytes.make(header: header, data: data)
    }

    static let fingerprintMarkers = [
        "\"pedigree.fingerprint\":\"1\"", "\"pedigree.sampling\":\"columns-v2\"", "\"pedigree.rate\":\"0.008\"",
        "\"pedigree.seed\":\"1592652198\"", "\"pedigree.source_sha256\":\"\(String(repeating: "a", count: 64))\"",
    ]

    static func fingerprint(rate: String = "0.008", seed: String = "1592652198", shapes: String) -> String {
        (fingerprintMarkers.filter { !$0.contains("rate") && !$0.contains("seed") }
            + ["\"pedigree.rate\":\(json(rate))", "\"pedigree.seed\":\(json(seed))", "\"pedigree.shapes\":\(json(shapes))"])
            .joined(separator: ",")
    }

    static let nasty = "\u{1B}[2J\u{1B}]0;owned\u{07}\r\u{0}<script>alert(1)</script>|a\u{202E}b\u{85}"

    /// name → file bytes.
    static let candidates: [(String, [UInt8])] = [
        // The crash of issue 11: fingerprint markers with huge declared dimensions.
        ("fingerprint-huge-dims", file(metadata: fingerprint(shapes: #"{"model.diffusion_model.out.2.weight":[4294967296,34359738368]}"#))),
        ("fingerprint-overflowing-product", file(metadata: fingerprint(shapes: #"{"model.diffusion_model.out.2.weight":[4,4294967296,4294967296]}"#))),
        ("fingerprint-zero-rows-huge-columns", file(metadata: fingerprint(shapes: #"{"model.diffusion_model.out.2.weight":[0,4611686018427387904]}"#))),
        ("fingerprint-negative-dim", file(metadata: fingerprint(shapes: #"{"model.diffusion_model.out.2.weight":[-4,8]}"#))),
        ("fingerprint-rank-100", file(metadata: fingerprint(shapes: "{\"model.diffusion_model.out.2.weight\":[" + Array(repeating: "1", count: 100).joined(separator: ",") + "]}"))),
        ("fingerprint-nan-rate", file(metadata: fingerprint(rate: "nan", shapes: #"{"model.diffusion_model.out.2.weight":[4,8]}"#))),
        ("fingerprint-tiny-rate", file(metadata: fingerprint(rate: "1e-320", shapes: #"{"model.diffusion_model.out.2.weight":[4,8]}"#))),
        ("fingerprint-negative-seed", file(metadata: fingerprint(seed: "-1", shapes: #"{"model.diffusion_model.out.2.weight":[4,8]}"#))),
        ("fingerprint-shapes-not-json", file(metadata: fingerprint(shapes: "{\"a\":[1,"))),
        ("fingerprint-bad-sha", file(metadata: fingerprint(shapes: "{}").replacingOccurrences(of: String(repeating: "a", count: 64), with: nasty))),
        ("duplicate-metadata-key", file(metadata: #""modelspec.license":"mit","modelspec.license":"proprietary""#)),
        ("control-characters-in-metadata", file(metadata: "\(json(nasty)):\(json(nasty)),\"modelspec.title\":\(json(nasty))")),
        ("control-characters-in-tensor-name", file(metadata: nil, extraEntries: [SafetensorsBytes.entry("evil\\u001b[2J\\r\\u0000<b>|", "F32", [0], 128, 128)])),
        ("zero-dim-overflowing-shape", file(metadata: nil, extraEntries: [SafetensorsBytes.entry("z", "F16", [0, 4294967296, 4294967296], 128, 128)])),
        ("huge-metadata-value", file(metadata: "\"modelspec.description\":\(json(String(repeating: "\u{1B}[31m", count: 20_000)))")),
        ("deep-nesting", SafetensorsBytes.make(header: "{\"__metadata__\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}")),
        ("zero-dim-extent-past-2^36", file(metadata: nil, extraEntries: [SafetensorsBytes.entry("model.diffusion_model.out.0.bias", "F32", [0, 1 << 20, 1 << 20], 128, 128)])),
        ("header-length-huge", SafetensorsBytes.make(header: "{}", declaredLength: UInt64.max)),
        // No elements, so no bytes, but 2^31 (2^36) columns: compared with itself, it once sized
        // the engine's row buffers and per-column accumulators by them (tens of GB, or TB).
        ("zero-rows-huge-width-shared", file(metadata: nil, extraEntries: [SafetensorsBytes.entry("model.diffusion_model.out.0.weight", "F16", [0, 1 << 31], 128, 128)])),
        ("zero-middle-dim-huge-width-shared", file(metadata: nil, extraEntries: [SafetensorsBytes.entry("model.diffusion_model.out.0.bias", "F32", [0, 1 << 18, 1 << 18], 128, 128)])),
    ]

    /// Address space each run may use (KiB): a debug `pedigree` comparing these small files
    /// needs well under it, an allocation sized from a header number does not fit.
    static let addressSpaceLimitKiB = 3_000_000

    /// Every scalar that must never reach a terminal raw (newline and tab are the renderer's own).
    static func rawControls(_ text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            scalar != "\n" && scalar != "\t" && (scalar.value < 0x20 || (0x7F ... 0x9F).contains(scalar.value)
                || [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069].contains(scalar.value))
        }.map { String(format: "U+%04X", $0.value) }
    }

    static func timed(_ args: [String], cache: String) -> (status: Int32, stdout: String, stderr: String, seconds: Double) {
        let start = Date()
        let result = runPedigree(args, environment: ["PEDIGREE_CACHE_DIR": cache], addressSpaceLimitKiB: addressSpaceLimitKiB)
        return (result.status, result.stdout, result.stderr, Date().timeIntervalSince(start))
    }

    @Test(arguments: candidates.map(\.0))
    func hostileCandidateGivesExit2OrAVerdict(_ name: String) throws {
        let bytes = try #require(Self.candidates.first { $0.0 == name }?.1)
        let dir = try TemporaryDirectory()
        let candidate = try dir.write(bytes, to: "\(name).safetensors")
        let reference = try dir.write(Self.file(metadata: "\"modelspec.title\":\"ref\"", seed: 3), to: "reference.safetensors")
        let reports = dir.file("reports")
        let runs: [[String]] = [
            ["inspect", candidate], ["inspect", candidate, "--format", "json"],
            ["compare", candidate, "--ref", "sdxl-base-1.0=\(reference)"],
            ["compare", reference, "--ref", "sdxl-base-1.0=\(candidate)"],
            // Compared with itself, every hostile shape is shared, so nothing is skipped as missing.
            ["compare", candidate, "--ref", "sdxl-base-1.0=\(candidate)"],
            ["audit", candidate, "--ref", "sdxl-base-1.0=\(reference)", "--report-dir", reports],
        ]
        for args in runs {
            let result = Self.timed(args, cache: dir.file("cache"))
            let what = "\(name): pedigree \(args[0]) \(args.dropFirst(2).first ?? "")"
            #expect([0, 1, 2].contains(result.status), "\(what) exited \(result.status): \(result.stderr.prefix(400))")
            #expect(result.seconds < 10, "\(what) took \(result.seconds) s")
            #expect(Self.rawControls(result.stdout).isEmpty, "\(what): raw control characters on stdout: \(Self.rawControls(result.stdout).prefix(5))")
            #expect(Self.rawControls(result.stderr).isEmpty, "\(what): raw control characters on stderr: \(Self.rawControls(result.stderr).prefix(5))")
            if result.status == 2 {
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].hasSuffix("]"), "\(what): not a one-line coded error: \(result.stderr.prefix(400))")
            }
        }
        for report in (try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? [] where report.hasSuffix(".md") || report.hasSuffix(".html") {
            let text = try String(contentsOfFile: reports + "/" + report, encoding: .utf8)
            #expect(!text.contains("<script"), "\(name): raw markup in \(report)")
            #expect(Self.rawControls(text).isEmpty, "\(name): raw control characters in \(report)")
        }
    }

    @Test func theIssuesCrashIsNowAFingerprintError() throws {
        let dir = try TemporaryDirectory()
        let bytes = try #require(Self.candidates.first { $0.0 == "fingerprint-huge-dims" }?.1)
        let candidate = try dir.write(bytes, to: "crash.safetensors")
        let reference = try dir.write(Self.file(metadata: nil, seed: 1), to: "reference.safetensors")
        let result = runPedigree(["audit", candidate, "--ref", "sdxl-base-1.0=\(reference)", "--no-reports"],
                                 environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[FP004]") || result.stderr.contains("[FP005]"), "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(candidate): "))
    }

    @Test func duplicateMetadataKeyIsST024() throws {
        let dir = try TemporaryDirectory()
        let bytes = try #require(Self.candidates.first { $0.0 == "duplicate-metadata-key" }?.1)
        let path = try dir.write(bytes, to: "dup.safetensors")
        let result = runPedigree(["inspect", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[ST024]") && result.stderr.contains("modelspec.license"), "\(result.stderr)")
    }

    @Test func inspectShowsControlCharactersEscaped() throws {
        let dir = try TemporaryDirectory()
        let bytes = try #require(Self.candidates.first { $0.0 == "control-characters-in-metadata" }?.1)
        let path = try dir.write(bytes, to: "nasty.safetensors")
        let result = runPedigree(["inspect", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#"\e[2J\e]0;owned\x07\r\0<script>"#), "\(result.stdout)")
        #expect(result.stdout.contains(#"\u{202E}"#))
        #expect(Self.rawControls(result.stdout).isEmpty)
    }

    // MARK: exit codes

    @Test func unexpectedInternalErrorExits70WithOneEscapedLine() {
        let result = runPedigree(["policy", "list"], environment: ["PEDIGREE_SIMULATE_INTERNAL_ERROR": "1"])
        #expect(result.status == 70)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("internal error") && result.stderr.contains("please report"))
        #expect(result.stderr.contains(#"\e]0;owned\x07"#), "the message is escaped: \(result.stderr)")
        #expect(Self.rawControls(result.stderr).isEmpty)
    }

    @Test func usageErrorsStay64AndHelpStays0() {
        #expect(runPedigree(["inspect"]).status == 64)
        #expect(runPedigree(["inspect", "--no-such-flag", "x"]).status == 64)
        #expect(runPedigree(["compare", "x.safetensors", "--ref", "a=b", "--edge", "nocolon"]).status == 64, "ValidationError from validate()")
        #expect(runPedigree(["--help"]).status == 0)
        #expect(runPedigree(["inspect", "--help"]).status == 0)
        #expect(runPedigree(["help", "inspect"]).status == 0)
        #expect(runPedigree(["--version"]).status == 0)
    }
}
