import Foundation
@testable import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// A fingerprint's spectral sample (issue 12) is hostile input like the rest of the file:
/// its metadata is checked and every stored part must have exactly the shape the declared
/// tensor and this version's row sampling give, before anything is read from it.
@Suite("Hostile spectral samples")
struct HostileSpectralSampleTests {
    static let sha = String(repeating: "a", count: 64)

    static func metadata(_ overrides: [String: String?]) -> String {
        var pairs: [String: String] = [
            "pedigree.fingerprint": "1", "pedigree.sampling": ColumnSampling.version, "pedigree.rate": "1.0", "pedigree.seed": "7",
            "pedigree.source_sha256": String(repeating: "0", count: 64), "pedigree.shapes": #"{"w":[4,8]}"#,
            "pedigree.spectral": "1", "pedigree.spectral.ancestor_id": "illustrious-xl-v0.1", "pedigree.spectral.ancestor_sha256": sha,
            "pedigree.spectral.width_divisor": "32", "pedigree.spectral.seed": "9", "pedigree.spectral.row_rate": String(SpectralSample.rowRate),
            "pedigree.spectral.ranks": "64,128,256",
        ]
        for (key, value) in overrides { pairs[key] = value }
        return "\"__metadata__\":{" + pairs.sorted { $0.key < $1.key }.map { "\(HostileFingerprintTests.json($0.key)):\(HostileFingerprintTests.json($0.value))" }.joined(separator: ",") + "}"
    }

    /// A fingerprint of one F16 tensor `w` [4, 8] (all columns) with the given spectral parts.
    static func open(_ overrides: [String: String?] = [:],
                     parts: [(String, [Int])] = [("pedigree.spectral/w/ancestor", [4, 8]), ("pedigree.spectral/w/descendant", [4, 8]),
                                                 ("pedigree.spectral/w/low", [3, 4, 8])]) throws -> Result<Fingerprint?, any Error> {
        let dir = try TemporaryDirectory()
        var entries = [SafetensorsBytes.entry("w", "F16", [4, 8], 0, 64)]
        var offset = 64
        for (name, shape) in parts {
            let bytes = shape.reduce(1, *) * 2
            entries.append(SafetensorsBytes.entry(name, "F16", shape, offset, offset + bytes))
            offset += bytes
        }
        let header = "{" + metadata(overrides) + "," + entries.joined(separator: ",") + "}"
        let path = try dir.write(SafetensorsBytes.make(header: header, data: SafetensorsBytes.filler(offset)), to: "fp.safetensors")
        let file = try SafetensorsFile(path: path)
        return Result { try Fingerprint(file: file, label: "noobai-xl-eps-1.0") }
    }

    func expectCode(_ result: Result<Fingerprint?, any Error>, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        HostileFingerprintTests().expectCode(result, code, sourceLocation: sourceLocation)
    }

    @Test func aValidSampleOpensAndReadsItsRows() throws {
        let fingerprint = try #require(try Self.open().get())
        let sample = try #require(fingerprint.spectral)
        #expect(sample.ancestorID == "illustrious-xl-v0.1" && sample.ancestorSHA256 == Self.sha && sample.divisor == 32)
        let rows = try #require(try fingerprint.spectralRows(of: "w"))
        #expect(rows.indices == [0, 1, 2, 3] && rows.ancestor.count == 32 && rows.low.count == 96)
        #expect(rows.ranks == [2, 4, 4])   // 64/32, 128/32, 256/32 capped at the tensor's 4 rows
        #expect(try Self.open(["pedigree.spectral": nil], parts: []).get()?.spectral == nil)
    }

    @Test func brokenMetadataIsRefused() throws {
        expectCode(try Self.open(["pedigree.spectral": "2"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.ancestor_id": nil]), "FP003")
        expectCode(try Self.open(["pedigree.spectral.ancestor_sha256": "ABC"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.width_divisor": "0"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.width_divisor": "99999999999999999999"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.seed": "-1"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.row_rate": "1.0"]), "FP004")
        expectCode(try Self.open(["pedigree.spectral.ranks": "1,2,3"]), "FP004")
        expectCode(try Self.open([:], parts: []), "FP004")
    }

    @Test func partsOfTheWrongShapeOrTensorAreRefused() throws {
        expectCode(try Self.open(parts: [("pedigree.spectral/w/ancestor", [4, 8]), ("pedigree.spectral/w/descendant", [4, 9])]), "FP005")
        expectCode(try Self.open(parts: [("pedigree.spectral/w/ancestor", [4, 8]), ("pedigree.spectral/w/descendant", [4, 8]),
                                         ("pedigree.spectral/w/low", [3, 4, 7])]), "FP005")
        expectCode(try Self.open(parts: [("pedigree.spectral/w/ancestor", [4, 8])]), "FP005")
        expectCode(try Self.open(parts: [("pedigree.spectral/x/ancestor", [4, 8]), ("pedigree.spectral/x/descendant", [4, 8])]), "FP005")
        expectCode(try Self.open(parts: [("pedigree.spectral/w/ancestor", [4, 8]), ("pedigree.spectral/w/descendant", [4, 8]),
                                         ("pedigree.spectral/w/extra", [4, 8])]), "FP005")
        expectCode(try Self.open(parts: [("pedigree.spectral/w", [4, 8])]), "FP005")
        // A huge claimed part is refused by its shape, before anything is read or sized.
        expectCode(try Self.open(parts: [("pedigree.spectral/w/ancestor", [4, 8]), ("pedigree.spectral/w/descendant", [4, 8]),
                                         ("pedigree.spectral/w/low", [3, 4, 1 << 20])]), "FP005")
    }

    /// Issue 12: what the residual share needs travels in at most 5% of a checkpoint.
    @Test func atFullSizeTheSampleIsUnderFivePercentOfTheCheckpoint() {
        let checkpoint = SDXLLayout.shapeByName.values.reduce(0) { $0 + $1.reduce(1, *) * 2 }
        let sample = SpectralSample.bytes(shapes: SDXLLayout.shapeByName)
        #expect(Double(sample) / Double(checkpoint) < 0.05, "\(sample) of \(checkpoint) bytes")
        #expect(Double(sample) / Double(checkpoint) > 0.02, "\(sample) of \(checkpoint) bytes: rows are really kept")
    }

    @Test func sampledRowsAreSeededAndBounded() {
        #expect(SpectralSample.sampledRowCount(rows: 0) == 0)
        #expect(SpectralSample.sampledRowCount(rows: 3) == 3)
        #expect(SpectralSample.sampledRowCount(rows: 1280) == 10)
        #expect(SpectralSample.sampledRows(name: "a", rows: 1280, seed: 1) == SpectralSample.sampledRows(name: "a", rows: 1280, seed: 1))
        #expect(SpectralSample.sampledRows(name: "a", rows: 1280, seed: 1) != SpectralSample.sampledRows(name: "b", rows: 1280, seed: 1))
        #expect(SpectralSample.sampledRows(name: "a", rows: 1280, seed: 1).allSatisfy { (0 ..< 1280).contains($0) })
    }
}
