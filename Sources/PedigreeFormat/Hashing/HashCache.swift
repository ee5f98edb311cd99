import Foundation
import PedigreeSupport

/// Remembers file hashes between runs, keyed by path, size, modification time and inode,
/// so a 7 GB reference is hashed once, not on every audit. A changed file misses the
/// cache and is hashed again. Stored as JSON under Pedigree's cache folder.
public final class HashCache: Sendable {
    private struct Entry: Codable, Sendable {
        let size: Int64
        let modified: Double
        let inode: UInt64
        let hashes: CheckpointHashes
    }

    private let store: JSONFileStore<Entry>

    public init(folder: String = CacheFolder.path()) {
        store = JSONFileStore(path: folder + "/hashes.json")
    }

    /// The file's hashes, from the cache when the file is unchanged, else computed (one read).
    public func hashes(of file: SafetensorsFile, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        try hashes(path: file.path, reader: file.reader, dataStart: Int64(file.header.dataStart), progress: progress)
    }

    public func hashes(path: String, reader: FileReader, dataStart: Int64, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        let identity = Self.identity(of: path)
        if let identity, let entry = store[key],
           entry.size == identity.size, entry.modified == identity.modified, entry.inode == identity.inode {
            return entry.hashes
        }
        let hashes = try CheckpointHasher.hash(reader: reader, dataStart: dataStart, progress: progress)
        if let identity {
            store.set(Entry(size: identity.size, modified: identity.modified, inode: identity.inode, hashes: hashes), for: key)
        }
        return hashes
    }

    private static func identity(of path: String) -> (size: Int64, modified: Double, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return (Int64(info.st_size), modified, UInt64(info.st_ino))
    }
}
