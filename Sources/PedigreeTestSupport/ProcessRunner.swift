import Foundation

/// The outcome of a child process: exit status and everything it printed.
public struct ProcessOutcome: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs `executable` with `arguments`, feeding `stdin` if given, and waits for it: the one
/// process runner of the tests (the CLI, the Python oracle, Chromium, shell tools).
/// Output goes through temporary files, so a chatty child can never fill a pipe and block;
/// it is decoded leniently, since a test may feed the child bytes that are not UTF-8.
/// `environment` replaces the inherited one when given; `currentDirectory` defaults to ours.
/// With `timeout`, a child still running after that many seconds is killed and reported
/// (status -9, the reason on stderr), so a command that never ends fails its test instead
/// of hanging the suite.
public func runProcess(
    _ executable: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil, currentDirectory: URL? = nil,
    timeout: TimeInterval? = nil
) throws -> ProcessOutcome {
    let scratch = try TemporaryDirectory(prefix: "pedigree-proc")
    // The folder is removed when `scratch` goes; it must outlive the reads at the end.
    defer { withExtendedLifetime(scratch) {} }
    let outPath = scratch.file("stdout"), errPath = scratch.file("stderr"), inPath = scratch.file("stdin")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    _ = FileManager.default.createFile(atPath: inPath, contents: stdin ?? Data())
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let inHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    defer { try? outHandle.close(); try? errHandle.close(); try? inHandle.close() }
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = inHandle
    try process.run()
    func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    if let timeout {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return ProcessOutcome(status: -9, stdout: text(outPath),
                                  stderr: text(errPath) + "\n[killed: still running after \(Int(timeout)) s]")
        }
    }
    process.waitUntilExit()
    return ProcessOutcome(status: process.terminationStatus, stdout: text(outPath), stderr: text(errPath))
}
