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
        /// Status-change time; absent in caches written before it was part of the key,
        /// which therefore miss once and are rehashed.
        let changed: Double?
        /// All four hashes (`hashes(of:)`), or nil when only the SHA-256 was computed.
        let hashes: CheckpointHashes?
        /// The SHA-256 alone (`sha256(of:)`, an audit's identification); nil in caches
        /// written before it existed, which always hold `hashes`.
        let sha256: String?

        func matches(_ stamp: FileStamp) -> Bool {
            size == stamp.size && modified == stamp.modified && inode == stamp.inode && changed == stamp.changed
        }

        var fileSHA256: String? { hashes?.sha256 ?? sha256 }
    }

    private let store: JSONFileStore<Entry>

    /// Set when a cache file was damaged and has been ignored (see `JSONFileStore`).
    public var damage: String? { store.damage }

    public init(folder: String = CacheFolder.path()) {
        store = JSONFileStore(path: folder + "/hashes.json")
    }

    /// The file's SHA-256: from the cache when the file is unchanged, else computed as
    /// one stream (`CheckpointHasher.sha256`), leaving AutoV3's second stream to the
    /// commands that print it (`inspect`, `stamp`, `attest`).
    public func sha256(of file: SafetensorsFile, progress: any ProgressSink = SilentProgress()) throws -> String {
        try sha256(path: file.path, reader: file.reader, progress: progress)
    }

    /// The file's SHA-256 if the cache holds it for the file as it is now; nil otherwise.
    public func cachedSHA256(of file: SafetensorsFile) -> String? {
        let key = URL(fileURLWithPath: file.path).standardizedFileURL.path
        guard (try? file.reader.checkUnchanged()) != nil else { return nil }
        guard let entry = store[key], entry.matches(file.reader.stamp) else { return nil }
        return entry.fileSHA256
    }

    public func sha256(path: String, reader: FileReader, progress: any ProgressSink = SilentProgress()) throws -> String {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        try reader.checkUnchanged()
        if let entry = store[key], entry.matches(reader.stamp), let sha = entry.fileSHA256 { return sha }
        let sha = try CheckpointHasher.sha256(reader: reader, progress: progress)
        try reader.checkUnchanged()
        let stamp = reader.stamp
        store.set(Entry(size: stamp.size, modified: stamp.modified, inode: stamp.inode, changed: stamp.changed, hashes: nil, sha256: sha), for: key)
        return sha
    }

    /// The file's hashes, from the cache when the file is unchanged, else computed (one read).
    public func hashes(of file: SafetensorsFile, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        try hashes(path: file.path, reader: file.reader, dataStart: Int64(file.header.dataStart), progress: progress)
    }

    /// The key is the identity of the file the reader has open (size, modification and
    /// status-change times, inode). A file that changes while it is hashed throws
    /// `changedWhileReading` and is not cached, so the cache never pairs one version's
    /// identity with another version's hash.
    public func hashes(path: String, reader: FileReader, dataStart: Int64, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        try reader.checkUnchanged()
        if let entry = store[key], entry.matches(reader.stamp), let hashes = entry.hashes { return hashes }
        let hashes = try CheckpointHasher.hash(reader: reader, dataStart: dataStart, progress: progress)
        try reader.checkUnchanged()
        let stamp = reader.stamp
        store.set(Entry(size: stamp.size, modified: stamp.modified, inode: stamp.inode, changed: stamp.changed, hashes: hashes, sha256: nil), for: key)
        return hashes
    }
}
