import Foundation

/// The contract every domain error enum in Pedigree follows.
///
/// Each domain (safetensors, policy, manifest, compute, reports, synth) has its own enum.
/// A case renders as one line that names the file, the place (tensor name or YAML
/// line:column) and the rule broken, and carries a stable code such as `ST008` that the
/// README documents and JSON output repeats, so scripts never parse prose.
public protocol PedigreeError: Error, CustomStringConvertible, LocalizedError, Sendable {
    /// Stable identifier, e.g. `ST008`. Never reused for a different rule.
    var code: String { get }
    /// The one-line, human message (without the code).
    var message: String { get }
    /// The process exit status this error maps to (see `ExitStatus`).
    var exitStatus: ExitStatus { get }
}

extension PedigreeError {
    public var description: String { message }
    public var errorDescription: String? { message }
    public var exitStatus: ExitStatus { .invalidInput }
}

/// Exit codes, identical for every subcommand.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything checked out.
    case success = 0
    /// The audit found unmet or unverifiable obligations.
    case findings = 1
    /// A checkpoint, policy, manifest, fingerprint or compare result is unreadable or invalid.
    case invalidInput = 2
    /// The command line itself is wrong (sysexits EX_USAGE).
    case usage = 64
    /// A bug: an error no domain anticipated (sysexits EX_SOFTWARE). Never a finding.
    case internalError = 70
}

/// Errors about files on disk that are not specific to one format: missing, unreadable,
/// not writable. Shared by every layer so that "cannot open" reads the same everywhere.
public enum FileAccessError: PedigreeError, Equatable {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case isDirectory(path: String)
    case changedWhileReading(path: String, change: String)

    public var code: String {
        switch self {
        case .cannotOpen: "IO001"
        case .cannotRead: "IO002"
        case .cannotWrite: "IO003"
        case .isDirectory: "IO004"
        case .changedWhileReading: "IO005"
        }
    }

    public var message: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): cannot open: \(reason)"
        case .cannotRead(let path, let reason): "\(path): cannot read: \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        case .isDirectory(let path): "\(path): is a directory, expected a file"
        case .changedWhileReading(let path, let change):
            "\(path): changed while it was being read (\(change)); no result is given from mixed bytes. Run again once the file is stable"
        }
    }
}

/// The text of the C library's error for `errno`, for messages.
public func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
