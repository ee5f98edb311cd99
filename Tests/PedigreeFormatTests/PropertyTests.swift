import Foundation
@testable import PedigreeFormat
import PedigreeSupport
import PropertyBased
import Testing

/// Property tests with shrinking (swift-property-based): the strict JSON reader round-trips
/// what its writer writes, and the terminal escaper never lets a control character through.
@Suite("Properties: strict JSON and terminal escaping")
struct FormatPropertyTests {
    /// Scalars that stress JSON strings: ASCII (quotes, backslashes, controls), C1 controls,
    /// bidi overrides, and astral-plane characters (surrogate pairs when \u-escaped).
    static let scalar = Gen.oneOf(
        Gen.unicodeScalar(in: "\u{0}" ... "\u{7F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{80}" ... "\u{2FF}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{2000}" ... "\u{206F}").eraseToAnySequence(),
        Gen.unicodeScalar(in: "\u{1F600}" ... "\u{1F64F}").eraseToAnySequence())
    static let text = scalar.array(of: 0 ... 24).map { String(String.UnicodeScalarView($0)) }

    @Test func stringsRoundTrip() async {
        await propertyCheck(count: 500, input: Self.text) { text in
            var encoded = ""
            StrictJSONWriter.writeString(text, to: &encoded)
            #expect(encoded.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "writer leaves no raw control character")
            #expect((try? StrictJSONParser.parse(Array(encoded.utf8))) == .string(text))
        }
    }

    @Test func objectsWithDuplicateKeysAndNumbersRoundTrip() async {
        let number = Gen.int(in: -1_000_000 ... 1_000_000)
        await propertyCheck(count: 300, input: Self.text.array(of: 0 ... 6), number.array(of: 0 ... 6)) { keys, numbers in
            // Keys may repeat (the reader keeps duplicates in order), values mix kinds.
            let members = keys.enumerated().map { i, key in
                JSONMember(key: key, value: i % 3 == 0 ? .number(String(numbers.isEmpty ? 0 : numbers[i % numbers.count]))
                    : i % 3 == 1 ? .array(numbers.map { .number(String($0)) }) : .string(key))
            } + [JSONMember(key: keys.first ?? "", value: .object([JSONMember(key: "n", value: .null), JSONMember(key: "b", value: .bool(true))]))]
            let value = JSONValue.object(members)
            let text = StrictJSONWriter.serialise(value)
            #expect((try? StrictJSONParser.parse(Array(text.utf8))) == value)
        }
    }

    @Test func anyBytesEitherFailInsideTheInputOrRoundTrip() async {
        // Bytes drawn from JSON's own alphabet, so that many parse.
        let alphabet = Array("{}[]:,\"\\/ \n-0123456789.eE+truefalsnu\u{1B}é".utf8)
        await propertyCheck(count: 2000, input: Gen.int(in: 0 ... alphabet.count - 1).array(of: 0 ... 40)) { picks in
            let bytes = picks.map { alphabet[$0] }
            let value: JSONValue
            do throws(JSONSyntaxError) { value = try StrictJSONParser.parse(bytes) } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                return
            }
            #expect((try? StrictJSONParser.parse(Array(StrictJSONWriter.serialise(value).utf8))) == value)
        }
    }

    @Test func terminalEscapingLeavesNoControlCharacter() async {
        await propertyCheck(count: 1000, input: Self.text) { text in
            let escaped = TerminalEscaping.escape(text)
            #expect(!escaped.unicodeScalars.contains(where: TerminalEscaping.needsEscape))
            #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F ... 0x9F).contains($0.value) })
            // Nothing is dropped: text without control characters is unchanged.
            if !text.unicodeScalars.contains(where: TerminalEscaping.needsEscape) { #expect(escaped == text) }
        }
    }

    @Test func terminalEscapesAreReadable() {
        #expect(TerminalEscaping.escape("a\u{1B}[2Jb\r\n\t\u{0}\u{7}\u{9B}\u{202E}") == #"a\e[2Jb\r\n\t\0\x07\u{009B}\u{202E}"#)
        #expect(TerminalEscaping.escape("licence: é ✓ 日本") == "licence: é ✓ 日本")
    }
}
