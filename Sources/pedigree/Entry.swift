import ArgumentParser
import Foundation
import PedigreeSupport

/// The process entry point. ArgumentParser handles help and usage errors (exit 0 and 64);
/// Pedigree's domain errors are printed as one line on stderr with their stable code and
/// exit 2; `ExitCode` thrown by a subcommand (for example 1 when an audit has findings)
/// passes through untouched.
@main
enum PedigreeEntry {
    static func main() {
        do {
            var command = try Pedigree.parseAsRoot()
            try command.run()
        } catch let error as any PedigreeError {
            let prefix = Terminal.colorEnabled(forStderr: true) ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
            Terminal.diagnostic("\(prefix) \(error.message) [\(error.code)]")
            exit(error.exitStatus.rawValue)
        } catch {
            Pedigree.exit(withError: error)
        }
    }
}
