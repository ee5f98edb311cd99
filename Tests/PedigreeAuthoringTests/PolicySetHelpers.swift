import Foundation
import PedigreePolicy
import PedigreeTestSupport
import Testing

/// A temp copy of the shipped policy folder that a test may edit.
struct ShippedCopy {
    let dir: TemporaryDirectory
    var folder: String { dir.path + "/Policies" }

    init() throws {
        dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: dir.path + "/Policies")
    }

    func edit(_ relative: String, _ old: String, _ new: String) throws {
        let path = folder + "/" + relative
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard text.contains(old) else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(relative) lacks \(old)"]) }
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let path = folder + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func load() throws -> PolicySet {
        switch PolicyLoader.load(folder: folder) {
        case .success(let set): return set
        case .failure(let problems): throw problems
        }
    }
}
