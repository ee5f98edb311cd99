import Foundation
import PedigreeFormat
import PedigreeSupport

/// Turns `scan`'s and `enqueue`'s arguments into the list of checkpoints to audit:
/// a file is a candidate; a diffusers folder (`model_index.json` or `unet/`) is one; a
/// sharded checkpoint is one (its index, else its first shard); a folder contributes every
/// `*.safetensors` below it, those inside diffusers folders and shard sets counted once (symbolic
/// links to folders are not followed, so a link loop cannot make the walk endless); a
/// `*.txt` or `*.list` file is a list of paths, one a line (blank lines and `#` comments
/// skipped; relative paths are relative to the list's folder). Paths come back absolute,
/// standardized, sorted and each once.
public enum CandidateFinder {
    public static let listExtensions: Set<String> = ["txt", "list"]

    public static func find(_ arguments: [String]) throws -> [String] {
        var found = Set<String>()
        for argument in arguments { try collect(argument, into: &found, listDepth: 0) }
        return found.sorted()
    }

    private static func collect(_ argument: String, into found: inout Set<String>, listDepth: Int) throws {
        let url = URL(fileURLWithPath: argument).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileAccessError.cannotOpen(path: argument, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            if isDiffusersFolder(url) { found.insert(url.path); return }
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else {
                throw FileAccessError.cannotRead(path: argument, reason: "cannot list the folder")
            }
            for case let file as URL in walker {
                if isDiffusersFolder(file) {
                    found.insert(file.standardizedFileURL.path)
                    walker.skipDescendants()
                    continue
                }
                guard file.pathExtension.lowercased() == "safetensors",
                      (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                found.insert(shardSetPath(file.standardizedFileURL))
            }
        } else if listExtensions.contains(url.pathExtension.lowercased()) {
            // A list naming another list is followed once; deeper nesting is refused so
            // two lists naming each other cannot loop.
            guard listDepth < 2 else { throw FileAccessError.cannotRead(path: argument, reason: "lists nested more than two deep") }
            for entry in try listEntries(url) {
                try collect(entry, into: &found, listDepth: listDepth + 1)
            }
        } else {
            found.insert(url.path)
        }
    }

    /// A folder `MappedCheckpoint` reads as a diffusers model.
    static func isDiffusersFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("model_index.json").path)
            || FileManager.default.fileExists(atPath: url.appendingPathComponent("unet").path)
    }

    /// The one path a shard's set is audited by: its index when there is one, else its
    /// first shard; any other file is itself.
    static func shardSetPath(_ url: URL) -> String {
        guard let (stem, _) = ShardSet.shardPattern(url.lastPathComponent), let first = ShardSet.shardNames(of: url.lastPathComponent)?.first else {
            return url.path
        }
        let folder = url.deletingLastPathComponent()
        let index = folder.appendingPathComponent("\(stem).safetensors.index.json")
        if FileManager.default.fileExists(atPath: index.path) { return index.path }
        return folder.appendingPathComponent(first).path
    }

    /// The paths a list file names. A list larger than 64 MB is refused rather than read.
    static func listEntries(_ url: URL) throws -> [String] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= 64 << 20 else { throw FileAccessError.cannotRead(path: url.path, reason: "a list of paths larger than 64 MB") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FileAccessError.cannotRead(path: url.path, reason: "cannot read the list")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileAccessError.cannotRead(path: url.path, reason: "a list of paths must be UTF-8 text")
        }
        let folder = url.deletingLastPathComponent()
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            return trimmed.hasPrefix("/") ? trimmed : folder.appendingPathComponent(trimmed).path
        }
    }
}
