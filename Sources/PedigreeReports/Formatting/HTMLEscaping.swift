import PedigreeSupport

/// Every string that comes from a report passes through here before it reaches HTML or
/// SVG, in text and in attribute values alike.
enum HTMLEscaping {
    /// By Unicode scalar (ScalarEscaping says why).
    static func escape(_ text: String) -> String {
        ScalarEscaping.escape(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            case "\n", "\t": nil
            // Control characters (C0, DEL, C1, bidi overrides) have no business in a report.
            case _ where TerminalEscaping.needsEscape(scalar): " "
            default: nil
            }
        }
    }
}
