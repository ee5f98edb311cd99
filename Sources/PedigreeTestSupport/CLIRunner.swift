import Foundation

/// The repository root, found from this file's own path (Sources/PedigreeTestSupport/…).
public func packageRoot(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The `pedigree` binary the CLI tests run: `PEDIGREE_TEST_BINARY` when set, else the one
/// built beside the running test bundle, so `swift test -c release` (the full tier in CI)
/// runs the release binary and `swift test` the debug one; `.build/debug/pedigree` last.
public let pedigreeBinaryPath: String = {
    if let explicit = ProcessInfo.processInfo.environment["PEDIGREE_TEST_BINARY"], !explicit.isEmpty { return explicit }
    let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    let beside = bundle.deletingLastPathComponent().appendingPathComponent("pedigree").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return packageRoot().appendingPathComponent(".build/debug/pedigree").path
}()

/// Runs the built `pedigree` binary with `args` (colour off, `NO_COLOR=1`) from
/// `currentDirectory` (default: the package root) and returns its exit status and output.
/// A binary that cannot be started reports status -1 with the reason on stderr.
///
/// With `addressSpaceLimitKiB`, the binary runs under `ulimit -v` of that many KiB, so an
/// allocation sized from hostile input fails (the process dies, a status other than 0, 1,
/// 2) instead of quietly growing the machine's memory.
public func runPedigree(
    _ args: [String], currentDirectory: URL? = nil, environment extra: [String: String] = [:], addressSpaceLimitKiB: Int? = nil
) -> (status: Int32, stdout: String, stderr: String) {
    let executable: String, arguments: [String]
    if let limit = addressSpaceLimitKiB {
        (executable, arguments) = ("/bin/sh", ["-c", "ulimit -v \(limit) && exec \"$0\" \"$@\"", pedigreeBinaryPath] + args)
    } else {
        (executable, arguments) = (pedigreeBinaryPath, args)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    do {
        let outcome = try runProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory ?? packageRoot())
        return (outcome.status, outcome.stdout, outcome.stderr)
    } catch {
        return (-1, "", "cannot run \(pedigreeBinaryPath): \(error)")
    }
}

/// Starts the built `pedigree` binary with `args` (colour off) from the package root and
/// returns at once, its output discarded (stderr kept in `stderrFile` when given): for tests
/// that kill it mid-run and then look at what it left behind.
public func startPedigree(_ args: [String], environment extra: [String: String] = [:], stderrFile: String? = nil) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: pedigreeBinaryPath)
    process.arguments = args
    process.currentDirectoryURL = packageRoot()
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    if let stderrFile {
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrFile))
    } else {
        process.standardError = FileHandle.nullDevice
    }
    try process.run()
    return process
}
