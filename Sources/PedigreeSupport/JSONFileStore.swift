import Foundation
import Synchronization

/// Where Pedigree keeps what it can recompute: `$PEDIGREE_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/pedigree`, else `~/.cache/pedigree`.
public enum CacheFolder {
    public static func path() -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["PEDIGREE_CACHE_DIR"], !dir.isEmpty { return dir }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/pedigree" }
        return NSHomeDirectory() + "/.cache/pedigree"
    }
}

/// A small string-keyed dictionary kept as one JSON file, for caches shared between runs.
///
/// A cache is an optimisation and never fails a command: a damaged file (truncated, not
/// JSON, wrong shape) is ignored, noted in `damage` for the caller to report, and
/// replaced by the next save; a failed save is ignored.
///
/// Several processes may share the file. Saves take an exclusive `flock` on a sibling
/// `.lock` file, re-read what is on disk, lay this process's own changes over it and
/// write the result atomically (temporary file renamed into place), so concurrent runs
/// neither corrupt the file nor drop each other's entries, and a reader without the lock
/// always sees a complete old or new file.
///
public final class JSONFileStore<Value: Codable & Sendable>: Sendable {
    private struct State {
        var values: [String: Value]
        /// Entries this process set, re-applied over whatever another process saved meanwhile.
        var changes: [String: Value] = [:]
        var damageNote: String?
    }

    private let path: String
    private let state: Mutex<State>

    public init(path: String) {
        self.path = path
        let (loaded, damage) = Self.load(path)
        state = Mutex(State(values: loaded, damageNote: damage))
    }

    /// Why the file on disk was ignored, if it was damaged (nil when fine or absent).
    public var damage: String? { state.withLock { $0.damageNote } }

    public subscript(key: String) -> Value? {
        state.withLock { $0.values[key] }
    }

    /// Stores `value` under `key` and saves the file.
    public func set(_ value: Value, for key: String) {
        set([(key, value)])
    }

    /// Stores several values and saves the file once.
    public func set(_ entries: [(key: String, value: Value)]) {
        guard !entries.isEmpty else { return }
        state.withLock { state in
            for entry in entries {
                state.values[entry.key] = entry.value
                state.changes[entry.key] = entry.value
            }
        }
        save()
    }

    private static func load(_ path: String) -> ([String: Value], String?) {
        guard let data = FileManager.default.contents(atPath: path) else { return ([:], nil) }
        do {
            return (try PedigreeJSON.decoder().decode([String: Value].self, from: data), nil)
        } catch {
            return ([:], "\(path): cache file is damaged (\(data.count) bytes that are not a valid cache); ignored, it will be rebuilt")
        }
    }

    private func save() {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lockDescriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lockDescriptor >= 0 {
            while flock(lockDescriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer {
            if lockDescriptor >= 0 { flock(lockDescriptor, LOCK_UN); close(lockDescriptor) }
        }
        // Under the file lock: merge with what other processes saved since we loaded.
        let (onDisk, _) = Self.load(path)
        let data: Data? = state.withLock { state in
            state.values = onDisk.merging(state.changes) { _, mine in mine }
            return try? PedigreeJSON.encoder().encode(state.values)
        }
        guard let data else { return }
        try? AtomicFile.write(data, to: path)
    }
}
