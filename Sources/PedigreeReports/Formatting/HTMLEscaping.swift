import PedigreeSupport

/// Every string that comes from a report passes through here before it reaches HTML or
/// SVG, in text and in attribute values alike.
enum HTMLEscaping {
    /// Works on Unicode scalars, not Characters: a combining mark after `<` makes one
    /// Character that is not "<", and would otherwise let the `<` through raw.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            // Control characters (C0, DEL, C1, bidi overrides) have no business in a report.
            case _ where TerminalEscaping.needsEscape(scalar): out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
