import Foundation
import PedigreeCompute
import PedigreeSupport
import PropertyBased
import Testing

/// Compare results round-trip through the JSON `pedigree compare --format json` writes and
/// `classify` reads back, whatever strings (ids, paths: file content) and cosines they hold,
/// and the written text never carries a raw control character to a terminal.
@Suite("Properties: compare-result JSON")
struct CompareJSONPropertyTests {
    /// ASCII with controls, C1 controls, bidi marks and an astral range.
    static let scalar = Gen.oneOf(
        Gen.unicodeScalar(in: "\u{0}" ... "\u{7F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{80}" ... "\u{2FF}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{2000}" ... "\u{206F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{1F600}" ... "\u{1F64F}").eraseToAnySequence())
    static let text = scalar.array(of: 0 ... 16).map { String(String.UnicodeScalarView($0)) }
    static let cosine = Gen.int(in: -1_000_000 ... 1_000_000).map { Double($0) / 1_000_000 * 0.9999 + 1e-9 * Double($0 % 7) }

    /// An unknown `kind` or `source` is refused with its place, and the value the decoder
    /// quotes is cut and escaped: a 100,000-character value must not make a 100 KB error line.
    @Test func anUnknownKindIsRefusedInOneShortLine() throws {
        let result = CompareResult.headline(candidate: "c.safetensors", references: [("sdxl-base-1.0", 0.9)], baselines: [])
        var object = try #require(try JSONSerialization.jsonObject(with: Data(PedigreeJSON.string(result).utf8)) as? [String: Any])
        var references = try #require(object["references"] as? [[String: Any]])
        references[0]["kind"] = String(repeating: "x", count: 100_000) + "\u{1B}[2J"
        object["references"] = references
        let data = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try CompareResultFile.decode(data, path: "c.json")
            Issue.record("an unknown kind was accepted")
        } catch let error as any PedigreeError {
            #expect(error.message.contains("references[0].kind"), "\(error.message.prefix(300))")
            #expect(error.message.count < 400, "\(error.message.count) characters")
            #expect(!error.message.contains("\u{1B}"))
        }
    }

    @Test func headlineResultsRoundTrip() async throws {
        await propertyCheck(count: 300, input: Self.text, Self.text.array(of: 1 ... 4), Self.cosine.array(of: 4)) { candidate, ids, cosines in
            let result = CompareResult.headline(
                candidate: candidate, references: ids.enumerated().map { ($0.element, cosines[$0.offset]) },
                baselines: [])
            guard let written = try? PedigreeJSON.string(result) else { Issue.record("cannot encode"); return }
            #expect(!written.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F ... 0x9F).contains($0.value) },
                    "raw control character in compare JSON")
            // Figures a headline lacks are NaN (never equal to themselves), so the round trip
            // is checked on what matters: the values read back, and the text they write again.
            let read = try? CompareResultFile.decode(Data(written.utf8), path: "c.json")
            #expect(read?.candidate.path == candidate)
            #expect(read?.references.map(\.id) == ids)
            #expect(read?.references.map(\.meanCosine) == Array(cosines.prefix(ids.count)))
            #expect(read.flatMap { try? PedigreeJSON.string($0) } == written)
        }
    }
}
