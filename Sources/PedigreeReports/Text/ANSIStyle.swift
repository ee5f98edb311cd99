import PedigreeSupport

/// ANSI styling that collapses to plain text when the caller says colour is off, so the
/// renderer never has to ask where its output goes.
struct ANSIStyle {
    let enabled: Bool

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Report strings come from manifests, policies and checkpoints other people wrote:
    /// control characters are shown escaped (PedigreeSupport.TerminalEscaping) so none of
    /// them can move the cursor or recolour the user's terminal.
    static func sanitized(_ text: String) -> String { TerminalEscaping.escape(text) }
}
