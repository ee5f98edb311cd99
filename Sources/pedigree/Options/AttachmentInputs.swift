import Foundation
import PedigreePolicy
import PedigreeSupport

/// The policies when a folder is given or found; nil when none is found and none was asked
/// for. `card`, `attest` and `audit --format cyclonedx` use them for licence names, links
/// and the hashes of the base models, and work without them.
func optionalPolicies(_ explicit: String?) throws -> PolicySet? {
    if explicit == nil, case .failure = PolicyLocator.locate(explicit: nil) { return nil }
    return try PolicyLoader.locateAndLoad(explicit: explicit)
}

/// Reads a whole input file of at most `limit` bytes (opened read-only).
func readInput(_ path: String, limit: Int) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw FileAccessError.cannotOpen(path: path, reason: "no such file")
    }
    if isDirectory.boolValue { throw FileAccessError.isDirectory(path: path) }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw FileAccessError.cannotOpen(path: path, reason: "permission denied") }
    defer { try? handle.close() }
    let data: Data
    do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch {
        throw FileAccessError.cannotRead(path: path, reason: error.localizedDescription)
    }
    guard data.count <= limit else { throw FileAccessError.cannotRead(path: path, reason: "larger than \(limit >> 20) MB, which this input never is") }
    return data
}
