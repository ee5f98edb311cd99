import ArgumentParser
import PedigreeLineage
import PedigreeSupport

extension Verdict {
    /// The one place a verdict becomes a process exit status: 0 for a pass, 1 for a fail
    /// (unmet or unverifiable obligations, or an error finding).
    var exitStatus: ExitStatus { self == .pass ? .success : .findings }

    var exitCode: ExitCode { ExitCode(exitStatus.rawValue) }
}
