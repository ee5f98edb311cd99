import Foundation
import PedigreeSupport

/// Remembers file hashes between runs, keyed by path, size, modification time and inode,
/// so a 7 GB reference is hashed once, not on every audit. A changed file misses the
/// cache and is hashed again. Stored as JSON under Pedigree's cache folder.
public final class HashCache: @unchecked Sendable {
    private struct Entry: Codable {
        let size: Int64
        let modified: Double
        let inode: UInt64
        let hashes: CheckpointHashes
    }

    private let location: String
    private let lock = NSLockLike()
    private var entries: [String: Entry]

    /// `$PEDIGREE_CACHE_DIR`, else `$XDG_CACHE_HOME/pedigree`, else `~/.cache/pedigree`.
    public static func defaultFolder() -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["PEDIGREE_CACHE_DIR"], !dir.isEmpty { return dir }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/pedigree" }
        return NSHomeDirectory() + "/.cache/pedigree"
    }

    public init(folder: String = HashCache.defaultFolder()) {
        location = folder + "/hashes.json"
        let data = FileManager.default.contents(atPath: location)
        entries = data.flatMap { try? JSONDecoder().decode([String: Entry].self, from: $0) } ?? [:]
    }

    /// The file's hashes, from the cache when the file is unchanged, else computed (one read).
    public func hashes(of file: SafetensorsFile, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        try hashes(path: file.path, reader: file.reader, dataStart: Int64(file.header.dataStart), progress: progress)
    }

    public func hashes(path: String, reader: FileReader, dataStart: Int64, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        let identity = Self.identity(of: path)
        if let identity, let entry = lock.locked({ entries[key] }),
           entry.size == identity.size, entry.modified == identity.modified, entry.inode == identity.inode {
            return entry.hashes
        }
        let hashes = try CheckpointHasher.hash(reader: reader, dataStart: dataStart, progress: progress)
        if let identity {
            lock.locked { entries[key] = Entry(size: identity.size, modified: identity.modified, inode: identity.inode, hashes: hashes) }
            save()
        }
        return hashes
    }

    private func save() {
        // The cache is an optimisation: failing to write it never fails the command.
        guard let data = lock.locked({ try? JSONEncoder().encode(entries) }) else { return }
        try? AtomicFile.write(data, to: location)
    }

    private static func identity(of path: String) -> (size: Int64, modified: Double, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return (Int64(info.st_size), modified, UInt64(info.st_ino))
    }
}
