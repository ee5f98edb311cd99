/// Makes text from files safe to print on a terminal or in a one-line error.
///
/// Metadata values, tensor names and paths come from files strangers wrote. Printed raw,
/// an ESC sequence can clear the screen or retitle the terminal, a CR can overwrite the
/// line that says "error", a newline can forge a second line of output, and bidirectional
/// overrides can make text read differently from what it is. Every such character is shown
/// as a visible escape instead (`\e`, `\r`, `\n`, `\0`, `\x07`, `\u{202E}`), so nothing is
/// lost and nothing acts. Printable text, including non-ASCII letters, passes unchanged.
public enum TerminalEscaping {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { out.append(scalar); continue }
            let visible: String = switch scalar.value {
            case 0x00: "\\0"
            case 0x09: "\\t"
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x1B: "\\e"
            case 0 ..< 0x80: "\\x" + hex(scalar.value, digits: 2)
            default: "\\u{" + hex(scalar.value, digits: 4) + "}"
            }
            out.append(contentsOf: visible.unicodeScalars)
        }
        return String(out)
    }

    /// `escape` of at most `limit` scalars, with "…" when cut: a value from a hostile file
    /// quoted inside a one-line error.
    public static func excerpt(_ text: String, limit: Int = 80) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return escape(text) }
        return escape(String(String.UnicodeScalarView(scalars.prefix(limit)))) + "…"
    }

    /// C0 and C1 control characters, DEL, line and paragraph separators, and the
    /// bidirectional embedding, override and isolate controls.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00 ... 0x1F, 0x7F ... 0x9F: true
        case 0x200E, 0x200F, 0x2028, 0x2029, 0x202A ... 0x202E, 0x2066 ... 0x2069, 0x061C: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
