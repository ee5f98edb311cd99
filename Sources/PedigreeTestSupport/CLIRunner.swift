import Foundation

/// The repository root, found from this file's own path (Sources/PedigreeTestSupport/…).
public func packageRoot(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Runs the built `pedigree` binary (`<package root>/.build/debug/pedigree`) with `args`
/// and returns its exit status and captured output. `NO_COLOR` is set so output is plain.
public func runPedigree(_ args: [String], currentDirectory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = packageRoot().appendingPathComponent(".build/debug/pedigree")
    process.arguments = args
    process.currentDirectoryURL = currentDirectory ?? packageRoot()
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read before waiting so a large output cannot fill the pipe and block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
