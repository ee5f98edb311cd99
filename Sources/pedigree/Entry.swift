import ArgumentParser
import Foundation
import PedigreeSupport

/// The process entry point, and the one place exit statuses are decided:
///
/// - ArgumentParser's own outcomes keep their codes: help and version 0, usage errors 64
///   (bad options, and `ValidationError` from `validate()`).
/// - `ExitCode` thrown by a subcommand (1 when an audit has findings) passes through.
/// - Pedigree's domain errors print one line on stderr with their stable code: exit 2.
/// - Anything else is a bug, not a finding: one line, a hint to report it, exit 70
///   (EX_SOFTWARE), so a CI gate never mistakes a crash for "the audit found problems".
///
/// Messages may quote file content (names, metadata), so they are printed escaped.
@main
enum PedigreeEntry {
    static func main() {
        var command: any ParsableCommand
        do {
            command = try Pedigree.parseAsRoot()
        } catch {
            Pedigree.exit(withError: error)
        }
        do {
            // Lets the CLI tests reach the internal-error path, which no input should reach.
            if ProcessInfo.processInfo.environment["PEDIGREE_SIMULATE_INTERNAL_ERROR"] == "1" { throw SimulatedInternalError() }
            try command.run()
        } catch let error as any PedigreeError {
            fail("\(error.message) [\(error.code)]", status: error.exitStatus)
        } catch let error where isArgumentParserOutcome(error) {
            Pedigree.exit(withError: error)
        } catch {
            fail("internal error: \(String(describing: error)) [INTERNAL]. This is a bug in Pedigree; "
                + "please report it with the command line and `pedigree --version`", status: .internalError)
        }
    }

    /// Errors ArgumentParser defines itself and knows the exit code of: the public ones, and
    /// its internal ones (`--help` reaches `run()` as an internal `HelpCommand` whose `run()`
    /// throws an internal `CommandError`), recognised by the module that defines them.
    static func isArgumentParserOutcome(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    static func fail(_ message: String, status: ExitStatus) -> Never {
        Terminal.diagnostic("\(ANSIStyle.forStderr().boldRed("error:")) \(TerminalEscaping.escape(message))")
        exit(status.rawValue)
    }
}

/// Not a PedigreeError on purpose: it stands for a bug (see PEDIGREE_SIMULATE_INTERNAL_ERROR).
struct SimulatedInternalError: Error, CustomStringConvertible {
    var description: String { "simulated failure\u{1B}]0;owned\u{07} for the exit-code test" }
}
