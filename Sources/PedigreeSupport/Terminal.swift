import Foundation

/// What the standard streams are connected to, so that colour and progress bars appear
/// only for a person at a terminal and never in pipes, logs or CI.
public enum Terminal {
    /// True when standard error is a terminal.
    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    /// True when standard output is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour is used on a terminal only, and never when `NO_COLOR` is set (no-color.org).
    /// `TERM=dumb` (Emacs shells, some CI logs): no colour, no cursor movement.
    public static var isDumb: Bool { ProcessInfo.processInfo.environment["TERM"] == "dumb" }

    public static func colorEnabled(forStderr: Bool) -> Bool {
        if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
        if isDumb { return false }
        return forStderr ? stderrIsTerminal : stdoutIsTerminal
    }

    /// Writes a line to standard error (diagnostics never go to stdout).
    public static func diagnostic(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
