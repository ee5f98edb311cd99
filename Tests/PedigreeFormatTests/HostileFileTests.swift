import Foundation
@testable import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// Issue 11 at the format layer: a parser differential through duplicate metadata keys,
/// shapes whose partial products overflow, files that change while they are read, the hash
/// cache's key, and the cache store shared by processes.
@Suite("Hostile files")
struct HostileFileTests {
    @Test func duplicateMetadataKeysAreRefused() throws {
        let header = #"{"__metadata__":{"modelspec.license":"mit","other":"x","modelspec.license":"proprietary"}}"#
        try expectRejection(ST.make(header: header), code: "ST024", "modelspec.license", "more than once")
    }

    @Test func distinctMetadataKeysStillPass() throws {
        let dir = try TemporaryDirectory()
        let file = try #require(try expectAccepted(ST.make(header: #"{"__metadata__":{"a":"1","A":"2","a ":"3"}}"#), in: dir))
        #expect(file.header.metadata == ["a": "1", "A": "2", "a ": "3"])
    }

    @Test func zeroDimensionDoesNotHideAnOverflowingShape() throws {
        // 0 elements, but rows × columns would overflow in the compute core.
        try expectRejection(ST.make(header: ST.header(ST.entry("t", "F16", [0, 1 << 32, 1 << 32], 0, 0))), code: "ST014")
        try expectRejection(ST.make(header: ST.header(ST.entry("t", "F16", [1 << 40, 0, 1 << 40], 0, 0))), code: "ST014")
        // Zero dimensions with small neighbours stay valid.
        let dir = try TemporaryDirectory()
        #expect(try expectAccepted(ST.make(header: ST.header(ST.entry("t", "F16", [0, 5, 7], 0, 0))), in: dir) != nil)
    }

    // MARK: files that change under us

    func opened(_ dir: TemporaryDirectory) throws -> (path: String, reader: FileReader) {
        let path = try dir.write(SafetensorsBytes.filler(4096), to: "f.bin")
        return (path, try FileReader(path: path))
    }

    @Test func anUnchangedFilePasses() throws {
        let dir = try TemporaryDirectory()
        let (_, reader) = try opened(dir)
        _ = try reader.readBytes(at: 0, count: 100)
        try reader.checkUnchanged()
    }

    @Test func extendingTruncatingOrRewritingIsCaught() throws {
        let dir = try TemporaryDirectory()
        let edits: [(String, (String) throws -> Void)] = [
            ("extended", { path in
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)); try handle.seekToEnd(); try handle.write(contentsOf: Data([1])); try handle.close()
            }),
            ("truncated", { path in #expect(truncate(path, 100) == 0) }),
            ("rewritten in place, same size, old mtime restored", { path in
                var info = stat(); stat(path, &info)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)); try handle.write(contentsOf: Data([9, 9, 9])); try handle.close()
                var times = [info.accessTime, info.modificationTime]
                #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
            }),
            ("replaced by another file", { path in
                let other = path + ".new"
                try Data(SafetensorsBytes.filler(4096)).write(to: URL(fileURLWithPath: other))
                #expect(rename(other, path) == 0)
            }),
            ("removed", { path in #expect(unlink(path) == 0) }),
        ]
        for (what, edit) in edits {
            let (path, reader) = try opened(dir)
            usleep(2000)  // let the clock move, as it does between a read and a rewrite
            try edit(path)
            #expect(throws: FileAccessError.self, "\(what)") { try reader.checkUnchanged() }
            do { try reader.checkUnchanged() } catch {
                #expect(error.code == "IO005", "\(what): \(error.message)")
                #expect(error.message.hasPrefix(path + ": changed while it was being read"), "\(what): \(error.message)")
            }
        }
    }

    @Test func theHashCacheKeySeesARewriteThatRestoresTheModificationTime() throws {
        let dir = try TemporaryDirectory()
        let header = ST.header(ST.entry("w", "F32", [4], 0, 16))
        let path = try dir.write(ST.make(header: header, data: ST.filler(16)), to: "m.safetensors")
        let cache = HashCache(folder: dir.file("cache"))
        let before = try cache.hashes(of: SafetensorsFile(path: path)).sha256
        // Same size, same mtime (restored), different bytes: only ctime tells.
        var info = stat(); stat(path, &info)
        usleep(2000)
        try Data(ST.make(header: header, data: ST.filler(16, seed: 7))).write(to: URL(fileURLWithPath: path))
        var times = [info.accessTime, info.modificationTime]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let after = try cache.hashes(of: SafetensorsFile(path: path)).sha256
        let fresh = try CheckpointHasher.hash(file: SafetensorsFile(path: path)).sha256
        #expect(after == fresh)
        #expect(after != before)
    }

    // MARK: the cache store

    struct Item: Codable, Sendable, Equatable { let n: Int }

    @Test func aDamagedStoreIsIgnoredReportedAndRebuilt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("cache/store.json")
        try FileManager.default.createDirectory(atPath: dir.file("cache"), withIntermediateDirectories: true)
        for damage in ["", "{", "[1,2]", "{\"k\": {\"n\": \"x\"}}", "\u{0}\u{1}garbage"] {
            try Data(damage.utf8).write(to: URL(fileURLWithPath: path))
            let store = JSONFileStore<Item>(path: path)
            #expect(store.damage?.contains("damaged") == true, "\(damage.debugDescription)")
            #expect(store["k"] == nil)
            store.set(Item(n: 1), for: "k")
            let reopened = JSONFileStore<Item>(path: path)
            #expect(reopened.damage == nil)
            #expect(reopened["k"] == Item(n: 1))
        }
    }

    @Test func storesOpenedTogetherKeepEachOthersEntries() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("store.json")
        // Two "processes" load the same (empty) file, then save in turn.
        let a = JSONFileStore<Item>(path: path), b = JSONFileStore<Item>(path: path)
        a.set(Item(n: 1), for: "a")
        b.set(Item(n: 2), for: "b")
        a.set(Item(n: 3), for: "a2")
        let merged = JSONFileStore<Item>(path: path)
        #expect(merged["a"] == Item(n: 1) && merged["b"] == Item(n: 2) && merged["a2"] == Item(n: 3))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func strayTemporariesOfDeadWritersAreRemovedLiveOnesKept() throws {
        let dir = try TemporaryDirectory()
        let dead = dir.file(".out.json.tmp-2147483646-7"), live = dir.file(".out.json.tmp-\(getpid())-8"), other = dir.file(".other.json.tmp-2147483646-9")
        for path in [dead, live, other] { try Data("partial".utf8).write(to: URL(fileURLWithPath: path)) }
        try AtomicFile.write("whole", to: dir.file("out.json"))
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live), "a running writer's temporary is not ours to remove")
        #expect(FileManager.default.fileExists(atPath: other), "only temporaries of the file being written are touched")
        #expect(try String(contentsOfFile: dir.file("out.json"), encoding: .utf8) == "whole")
    }
}
