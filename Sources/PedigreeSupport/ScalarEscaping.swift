/// The loop every escaper shares (HTML, Markdown, YAML and JSON strings): text rewritten
/// one Unicode scalar at a time by a per-scalar rule, each format keeping its own rule.
///
/// By scalar, not Character: a combining mark after `<` or `|` makes one Character that is
/// not "<" or "|", and a Character-level escaper would let the raw `<` or `|` through.
public enum ScalarEscaping {
    /// `text` with each scalar for which `replacement` returns a string replaced by it; the
    /// others are kept as they are.
    public static func escape(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) { out += replaced } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// `\uXXXX` with four hex digits, the escape JSON and YAML double-quoted scalars share.
    public static func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: uppercase)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
