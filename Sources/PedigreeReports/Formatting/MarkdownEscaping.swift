import PedigreeSupport

/// Makes report strings inert in Markdown: a release name such as `A | <b>B</b>` must
/// neither split a table row nor inject HTML into a model page.
enum MarkdownEscaping {
    /// Characters Markdown (CommonMark + GFM tables) gives meaning to inline.
    private static let backslashEscaped: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "{", "}"]

    /// Inline text: safe in a paragraph, list item or table cell. By Unicode scalar
    /// (ScalarEscaping says why): a raw pipe must never split a table row.
    static func inline(_ text: String) -> String {
        var atLineStart = true
        var out = ScalarEscaping.escape(text) { scalar in
            defer { atLineStart = false }
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "\n", "\r": return " "
            case _ where backslashEscaped.contains(Character(scalar)): return "\\\(scalar)"
            // A leading list or heading marker would change the block's kind.
            case "-" where atLineStart, "+" where atLineStart, "=" where atLineStart: return "\\\(scalar)"
            // Control characters (C0, DEL, C1, bidi overrides) have no business in a report.
            case _ where TerminalEscaping.needsEscape(scalar): return " "
            default: return nil
            }
        }
        // "1. Foo" at the start of a paragraph would become an ordered list.
        if let dot = out.firstIndex(of: "."), out[out.startIndex ..< dot].allSatisfy(\.isNumber), dot != out.startIndex {
            out.replaceSubrange(dot ... dot, with: "\\.")
        }
        return out
    }

    /// Hex digests, ids and paths in code spans when they hold nothing that could end the
    /// span or a table cell; anything else falls back to escaped text.
    static func code(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-/:+@".contains($0)) }
        return safe ? "`\(text)`" : inline(text)
    }
}
