import PedigreeSupport

/// YAML scalars that always parse back as the same string: double-quoted with every
/// character YAML treats specially escaped. Quoting everything avoids YAML 1.1's traps
/// (`no` → false, `1.0` → float, `on` → true) that plain scalars fall into.
/// Values come from policies and manifests, so nothing in them is trusted.
enum YAMLQuoting {
    static func quoted(_ text: String) -> String {
        let escaped = ScalarEscaping.escape(text) { scalar in
            switch scalar {
            case "\\": "\\\\"
            case "\"": "\\\""
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            // Angle brackets are legal in YAML, but front matter shown by a Markdown viewer
            // that does not know it would pass them through as raw HTML. The escape parses
            // back to the same character.
            case "<": "\\u003C"
            case ">": "\\u003E"
            // Control and line-separator characters are not allowed raw in a quoted scalar;
            // bidi overrides would make the card read differently from what it says.
            case _ where TerminalEscaping.needsEscape(scalar) || scalar.value == 0xFEFF: ScalarEscaping.unicodeEscape(scalar, uppercase: true)
            default: nil
            }
        }
        return "\"" + escaped + "\""
    }
}
