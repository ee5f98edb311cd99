import Foundation

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
/// A cache is an optimisation: an unreadable file starts empty and a failed save is
/// ignored, so a cache never fails a command. Saves are atomic, so a concurrent run sees
/// the old file or the new one.
///
/// SAFETY: `@unchecked Sendable` because `values` is only touched under `lock`.
public final class JSONFileStore<Value: Codable & Sendable>: @unchecked Sendable {
    private let path: String
    private let lock = NSLockLike()
    private var values: [String: Value]

    public init(path: String) {
        self.path = path
        let data = FileManager.default.contents(atPath: path)
        values = data.flatMap { try? PedigreeJSON.decoder().decode([String: Value].self, from: $0) } ?? [:]
    }

    public subscript(key: String) -> Value? {
        lock.locked { values[key] }
    }

    /// Stores `value` under `key` and saves the file.
    public func set(_ value: Value, for key: String) {
        lock.locked { values[key] = value }
        save()
    }

    /// Stores several values and saves the file once.
    public func set(_ entries: [(key: String, value: Value)]) {
        guard !entries.isEmpty else { return }
        lock.locked { for entry in entries { values[entry.key] = entry.value } }
        save()
    }

    private func save() {
        guard let data = lock.locked({ try? PedigreeJSON.encoder().encode(values) }) else { return }
        try? AtomicFile.write(data, to: path)
    }
}
