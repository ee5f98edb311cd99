import Foundation
import Testing

/// Runs `script` with the oracle's Python (`PythonOracle`: the `.build/oracle-venv`
/// environment, built on first use, or `$PEDIGREE_PYTHON`), passing `arguments` as
/// `sys.argv[1...]` and `stdin` on standard input. Tests use it to produce and check files
/// with the reference implementation (`safetensors`, `numpy`, `torch`, `yaml`, `sd_mecha`).
///
/// Without an oracle environment it cancels the calling test (a visible skip) or, when `CI`
/// is set, throws so that the test fails. Mark such tests `.pythonOracle` as well, so the
/// skip is decided before they start and listed with its reason.
public func runPython(script: String, arguments: [String] = [], stdin: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let python = try oracleInterpreter()
    do {
        let outcome = try runProcess("/usr/bin/env", [python, "-c", script] + arguments, stdin: stdin)
        return (outcome.status, outcome.stdout, outcome.stderr)
    } catch {
        return (-1, "", "cannot run \(python): \(error)")
    }
}

/// Runs a Python script of the repository (`relativePath` from the package root) with the
/// oracle's Python, like `runPython`, and returns the interpreter's path with the outcome
/// so the script can hand it on.
public func runPythonScript(_ relativePath: String, arguments: (_ python: String) -> [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let python = try oracleInterpreter()
    let script = packageRoot().appendingPathComponent(relativePath).path
    let outcome = try runProcess("/usr/bin/env", [python, script] + arguments(python))
    return (outcome.status, outcome.stdout, outcome.stderr)
}

/// The oracle's interpreter; without one, cancels the calling test (a visible skip), or
/// throws under CI so that the test fails.
func oracleInterpreter() throws -> String {
    switch PythonOracle.interpreter {
    case .success(let found): return found
    case .failure(let why):
        if TestEnvironment.isCI { throw why }
        try Test.cancel("\(why)")
    }
}
