import Foundation

/// The package root, found from this file's location (Sources/PedigreeTestSupport/).
private let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0 ..< 3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The debug `pedigree` binary that `swift build` / `swift test` produce.
public let pedigreeBinaryPath = packageRoot + "/.build/debug/pedigree"

/// Runs the built `pedigree` binary with `args` (colour off) and returns what it did.
public func runPedigree(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    do {
        let outcome = try runProcess(pedigreeBinaryPath, args, environment: environment)
        return (outcome.status, outcome.stdout, outcome.stderr)
    } catch {
        return (-1, "", "cannot run \(pedigreeBinaryPath): \(error)")
    }
}
