import Foundation
import Synchronization

/// The repository root, found from this file's own path (Sources/PedigreeTestSupport/…).
public func packageRoot(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The debug `pedigree` binary that `swift build` / `swift test` produce.
public let pedigreeBinaryPath = packageRoot().appendingPathComponent(".build/debug/pedigree").path

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
    let process = Process()
    if let limit = addressSpaceLimitKiB {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v \(limit) && exec \"$0\" \"$@\"", pedigreeBinaryPath] + args
    } else {
        process.executableURL = URL(fileURLWithPath: pedigreeBinaryPath)
        process.arguments = args
    }
    process.currentDirectoryURL = currentDirectory ?? packageRoot()
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { $1 }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { return (-1, "", "cannot run \(pedigreeBinaryPath): \(error)") }
    // Read both pipes concurrently with the child so large output cannot block it.
    let collected = Mutex(Data())
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        let data = out.fileHandleForReading.readDataToEndOfFile()
        collected.withLock { $0 = data }
        group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = collected.withLock { $0 }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
