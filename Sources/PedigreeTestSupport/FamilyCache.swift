import Crypto
import Foundation

/// Synthetic families made once per build of `pedigree` and shared by every suite and test
/// process that asks for them, instead of each suite synthesising its own copy.
///
/// A family is a whole recipe at one width, made by the binary under test into
/// `.build/test-fixtures/<recipe>-div<N>-<key>/`, where the key hashes the recipe's bytes,
/// the width and the binary's size and modification time (a rebuilt binary makes new
/// fixtures, and the old ones of that recipe and width are removed). A lock file serialises
/// the making across threads and processes; the family is made in a scratch folder and
/// renamed into place, so a reader never sees half a family. Cached families are only read:
/// suites get copies of the files they use (`copy`), so a test that writes beside them, or
/// into them, cannot change another's input.
public enum FamilyCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: Set<String> = []

    /// The cached family of `recipe` (a path relative to the package root, or absolute) at
    /// `widthDivisor`, all of it or `only` these models (and what they are made from); makes
    /// it first if needed. A failed synth stops the run with its stderr.
    public static func family(recipe: String, widthDivisor: Int = 32, only: [String] = []) -> String {
        let recipePath = recipe.hasPrefix("/") ? recipe : packageRoot().appendingPathComponent(recipe).path
        guard let bytes = FileManager.default.contents(atPath: recipePath) else { fatalError("FamilyCache: cannot read \(recipePath)") }
        let stem = URL(fileURLWithPath: recipePath).deletingPathExtension().lastPathComponent
        let attributes = (try? FileManager.default.attributesOfItem(atPath: pedigreeBinaryPath)) ?? [:]
        let stamp = "\(pedigreeBinaryPath)|\((attributes[.size] as? NSNumber)?.int64Value ?? -1)|"
            + "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1)|\(widthDivisor)|\(only.sorted())|"
        var hasher = SHA256()
        hasher.update(data: Data(stamp.utf8))
        hasher.update(data: bytes)
        let key = hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
        let prefix = "\(stem)\(only.isEmpty ? "" : "-\(only.count)")-div\(widthDivisor)-"
        let root = packageRoot().appendingPathComponent(".build/test-fixtures").path
        let target = "\(root)/\(prefix)\(key)"

        lock.lock()
        defer { lock.unlock() }
        if made.contains(target) { return target }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let fd = open("\(root)/\(prefix)lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard fd >= 0 else { fatalError("FamilyCache: cannot open the lock in \(root): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            // Another test process may be making the same family: wait for it.
            guard flock(fd, LOCK_EX) == 0 else { fatalError("FamilyCache: cannot lock \(root): \(String(cString: strerror(errno)))") }
            defer { flock(fd, LOCK_UN) }
            if !FileManager.default.fileExists(atPath: target + "/family.json") {
                try makeFamily(recipePath: recipePath, widthDivisor: widthDivisor, only: only, into: target)
                for stale in try FileManager.default.contentsOfDirectory(atPath: root)
                where stale.hasPrefix(prefix) && !stale.hasSuffix("lock") && "\(root)/\(stale)" != target {
                    try? FileManager.default.removeItem(atPath: "\(root)/\(stale)")
                }
            }
        } catch {
            fatalError("FamilyCache: \(recipe) at ÷\(widthDivisor): \(error)")
        }
        made.insert(target)
        return target
    }

    /// `models` (ids of the recipe) of the cached family copied, with its `family.json`, into
    /// a fresh temporary directory as `<id>.safetensors`: a suite's own fixture.
    public static func copy(recipe: String, models: [String], widthDivisor: Int = 32, only: [String] = []) -> TemporaryDirectory {
        let family = self.family(recipe: recipe, widthDivisor: widthDivisor, only: only)
        do {
            let dir = try TemporaryDirectory()
            for name in models.map({ "\($0).safetensors" }) + ["family.json"] {
                try FileManager.default.copyItem(atPath: "\(family)/\(name)", toPath: dir.file(name))
            }
            return dir
        } catch {
            fatalError("FamilyCache: copying \(models) of \(recipe): \(error)")
        }
    }

    private static func makeFamily(recipePath: String, widthDivisor: Int, only: [String], into target: String) throws {
        // Made beside the target, unique to this process, so a rename puts it in place.
        let scratch = "\(target).partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        let cache = try TemporaryDirectory()
        let made = runPedigree(["synth", recipePath, "--out", scratch, "--width-divisor", String(widthDivisor)] + only.flatMap { ["--only", $0] },
                               environment: ["PEDIGREE_CACHE_DIR": cache.path])
        guard made.status == 0 else { fatalError("synth \(recipePath) at ÷\(widthDivisor) failed: \(made.stderr)") }
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.moveItem(atPath: scratch, toPath: target)
    }
}
