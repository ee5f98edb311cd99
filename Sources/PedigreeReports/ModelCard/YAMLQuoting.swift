import PedigreeSupport

/// YAML scalars that always parse back as the same string: double-quoted with every
/// character YAML treats specially escaped. Quoting everything avoids YAML 1.1's traps
/// (`no` → false, `1.0` → float, `on` → true) that plain scalars fall into.
/// Values come from policies and manifests, so nothing in them is trusted.
enum YAMLQuoting {
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Angle brackets are legal in YAML, but front matter shown by a Markdown viewer
            // that does not know it would pass them through as raw HTML. The escape parses
            // back to the same character.
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case _ where TerminalEscaping.needsEscape(scalar) || scalar.value == 0xFEFF:
                // Control and line-separator characters are not allowed raw in a quoted scalar;
                // bidi overrides would make the card read differently from what it says.
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
