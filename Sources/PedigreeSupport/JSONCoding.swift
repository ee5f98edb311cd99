import Foundation

/// Pedigree's JSON conventions: snake_case keys, sorted keys, pretty printing, and no
/// escaped slashes, so that output is deterministic and diffs cleanly between runs.
/// Formats defined by others keep their own key names (`.asDeclared`: CycloneDX, in-toto,
/// DSSE), and signed payloads are written on one line (`.compact`).
public enum PedigreeJSON {
    public enum KeyNaming: Sendable { case snakeCase, asDeclared }
    public enum Layout: Sendable { case pretty, compact }

    public static func encoder(keys: KeyNaming = .snakeCase, layout: Layout = .pretty) -> JSONEncoder {
        let encoder = JSONEncoder()
        if keys == .snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.outputFormatting = layout == .pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The same conventions for untyped objects (`[String: Any]`) built by hand.
    public static func data(withJSONObject object: Any, layout: Layout = .pretty) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: layout == .pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes])
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Encodes `value` as pretty JSON text ending in a newline. JSONEncoder escapes C0
    /// controls but passes C1 controls (U+0080–U+009F, U+009B is a CSI), line separators
    /// and bidi overrides raw; JSON goes to terminals too, so those are written as `\uXXXX`
    /// escapes (the same string to any JSON reader). They can only occur inside strings.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        let data = try encoder().encode(value)
        return escapingInvisibleControls(String(decoding: data, as: UTF8.self)) + "\n"
    }

    static func escapingInvisibleControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x7F && TerminalEscaping.needsEscape($0) }) else { return json }
        return ScalarEscaping.escape(json) { scalar in
            scalar.value >= 0x7F && TerminalEscaping.needsEscape(scalar) ? ScalarEscaping.unicodeEscape(scalar, uppercase: true) : nil
        }
    }
}
