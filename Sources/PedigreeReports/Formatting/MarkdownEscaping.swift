/// Makes report strings inert in Markdown: a release name such as `A | <b>B</b>` must
/// neither split a table row nor inject HTML into a model page.
enum MarkdownEscaping {
    /// Characters Markdown (CommonMark + GFM tables) gives meaning to inline.
    private static let backslashEscaped: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "{", "}"]

    /// Inline text: safe in a paragraph, list item or table cell.
    static func inline(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        var atLineStart = true
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\r", "\r\n": out += " "
            case _ where backslashEscaped.contains(character): out += "\\\(character)"
            // A leading list or heading marker would change the block's kind.
            case "-" where atLineStart, "+" where atLineStart, "=" where atLineStart: out += "\\\(character)"
            case _ where character.isASCII && (character.asciiValue ?? 32) < 32: out += " "
            default: out.append(character)
            }
            atLineStart = false
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
