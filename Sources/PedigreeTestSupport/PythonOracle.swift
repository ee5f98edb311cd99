import Crypto
import Foundation
// flock and the file calls below exist under these names on both; Pedigree is built and
// tested on Linux only, so the Darwin branch is not tested here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Python that the oracle tests run: a virtual environment under `.build/oracle-venv`,
/// provisioned on first use from `Tests/oracle-requirements.txt`, so that `swift test` on a
/// fresh machine needs nothing installed by hand beyond Python itself.
///
/// - The environment is built once and reused: a stamp file holds the SHA-256 of the
///   requirements file, and a changed list rebuilds it.
/// - Test processes run in parallel, so building is guarded by an exclusive `flock` on
///   `.build/oracle-venv.lock` (released by the kernel even if a process dies); within one
///   process the `static let` runs it once.
/// - `$PEDIGREE_PYTHON` names an interpreter to use instead (no environment is built).
/// - When it cannot be built (no network, no `venv` module), tests marked `.pythonOracle`
///   are skipped with the reason, or fail when `CI` is set, since CI must run every oracle.
public enum PythonOracle {
    /// The interpreter to run, or why there is none.
    public static var interpreter: Result<String, PythonOracleUnavailable> { resolved }

    /// Whether tests that need the oracle should run: it is available, or CI requires it
    /// (and the test then fails, saying why).
    public static var shouldRun: Bool {
        if case .success = resolved { return true }
        return TestEnvironment.isCI
    }

    public static let requirementsFile = packageRoot().appendingPathComponent("Tests/oracle-requirements.txt").path
    public static let environmentFolder = packageRoot().appendingPathComponent(".build/oracle-venv").path
    public static let logFile = packageRoot().appendingPathComponent(".build/oracle-venv.log").path
    static let lockFile = packageRoot().appendingPathComponent(".build/oracle-venv.lock").path
    static let stampFile = environmentFolder + "/pedigree-requirements.sha256"
    static let python = environmentFolder + "/bin/python"

    private static let resolved: Result<String, PythonOracleUnavailable> = {
        if let chosen = ProcessInfo.processInfo.environment["PEDIGREE_PYTHON"], !chosen.isEmpty { return .success(chosen) }
        let result = Result { try provision() }.mapError { $0 as? PythonOracleUnavailable ?? PythonOracleUnavailable(reason: "\($0)") }
        if case .failure(let why) = result {
            // Said once, here, so the skipped tests' shared comment can point to it.
            FileHandle.standardError.write(Data("Pedigree tests: \(why)\n".utf8))
        }
        return result
    }()

    /// Builds the environment unless the stamp says it matches the requirements file.
    static func provision() throws -> String {
        let requirements = try Data(contentsOf: URL(fileURLWithPath: requirementsFile))
        let digest = SHA256.hash(data: requirements).map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createDirectory(atPath: (lockFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Close-on-exec: pip and venv must not inherit the descriptor, or the lock would
        // outlive this process's `close` in any child they leave behind.
        let lock = open(lockFile, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw PythonOracleUnavailable(reason: "cannot open \(lockFile): errno \(errno)") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PythonOracleUnavailable(reason: "cannot lock \(lockFile): errno \(errno)") }
        }
        defer { flock(lock, LOCK_UN) }

        // Another process may have finished the job while this one waited for the lock.
        let stamp = try? String(contentsOfFile: stampFile, encoding: .utf8)
        if stamp?.trimmingCharacters(in: .whitespacesAndNewlines) == digest, (try? runProcess(python, ["-c", "pass"]).status) == 0 {
            return python
        }

        FileHandle.standardError.write(Data("""
            Pedigree tests: building the Python oracle environment in \(environmentFolder)
              from \(requirementsFile) (first run only; downloads torch, may take minutes; log: \(logFile))\n
            """.utf8))
        try? FileManager.default.removeItem(atPath: environmentFolder)
        var log = ""
        let steps: [(what: String, executable: String, arguments: [String])] = [
            ("python3 -m venv (on Debian/Ubuntu: apt-get install python3-venv)", "/usr/bin/env", ["python3", "-m", "venv", environmentFolder]),
            ("pip install -r Tests/oracle-requirements.txt (needs network access to PyPI)", python,
             ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirementsFile]),
        ]
        for step in steps {
            let outcome: ProcessOutcome
            do { outcome = try runProcess(step.executable, step.arguments) } catch {
                throw PythonOracleUnavailable(reason: "\(step.what) could not start: \(error)")
            }
            log += "$ \(step.executable) \(step.arguments.joined(separator: " "))\n\(outcome.stdout)\(outcome.stderr)\n"
            try? log.write(toFile: logFile, atomically: true, encoding: .utf8)
            guard outcome.status == 0 else {
                let last = outcome.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(outcome.status)"
                throw PythonOracleUnavailable(reason: "\(step.what) failed: \(last) (full log: \(logFile))")
            }
        }
        // Written last: an interrupted build has no stamp and is rebuilt next time.
        try (digest + "\n").write(toFile: stampFile, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("Pedigree tests: Python oracle environment ready.\n".utf8))
        return python
    }
}

/// Why the oracle's Python cannot be used; thrown (and so a test failure) when `CI` is set.
public struct PythonOracleUnavailable: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "Python oracle unavailable: \(reason)" }
}
