/// The one place ANSI colour is written. Styling collapses to plain text when colour is
/// off, so a renderer never has to ask where its output goes: the caller decides, with
/// `forStdout()`/`forStderr()` (a terminal, no `NO_COLOR`, no `TERM=dumb`) or, for a
/// renderer that must stay pure, an explicit `enabled`.
public struct ANSIStyle: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour for text printed on standard output (reports).
    public static func forStdout() -> ANSIStyle { ANSIStyle(enabled: Terminal.colorEnabled(forStderr: false)) }
    /// Colour for diagnostics printed on standard error.
    public static func forStderr() -> ANSIStyle { ANSIStyle(enabled: Terminal.colorEnabled(forStderr: true)) }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }
    /// One SGR sequence for both attributes (`1;31`), as headlines and error tags use.
    public func boldRed(_ text: String) -> String { wrap(text, "1;31") }
    public func boldGreen(_ text: String) -> String { wrap(text, "1;32") }
    public func boldYellow(_ text: String) -> String { wrap(text, "1;33") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Report strings come from manifests, policies and checkpoints other people wrote:
    /// control characters are shown escaped (TerminalEscaping) so none of them can move
    /// the cursor or recolour the user's terminal.
    public static func sanitized(_ text: String) -> String { TerminalEscaping.escape(text) }
}
