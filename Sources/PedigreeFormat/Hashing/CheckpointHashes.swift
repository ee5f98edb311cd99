import Crypto
import Dispatch
import Foundation
import PedigreeSupport
import Synchronization

/// The hashes the model-sharing ecosystem uses to name a checkpoint file.
public struct CheckpointHashes: Sendable, Codable, Equatable {
    /// SHA-256 of the whole file, lowercase hex.
    public let sha256: String
    /// Civitai AutoV1 / A1111 legacy hash: SHA-256 of the 64 KiB at offset 1 MiB, first 8 hex digits.
    public let autov1: String
    /// Civitai AutoV2 / A1111 short hash: the first 10 hex digits of `sha256`, upper-case as Civitai shows it.
    public let autov2: String
    /// Civitai AutoV3: SHA-256 of every byte after the header (ModelSpec `hash_sha256`, kohya `sshs_model_hash`).
    public let autov3: String
}

/// Computes all four hashes in a single read of the file.
///
/// One thread reads blocks and hashes the whole file (exactly the work `openssl dgst`
/// does); a second thread hashes the tensor-data part of the same blocks for AutoV3, so
/// the two SHA-256 streams run on both cores and the wall time stays that of one.
public enum CheckpointHasher {
    static let blockSize = 8 << 20
    static let ringSize = 4

    public static func hash(file: SafetensorsFile, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        try hash(reader: file.reader, dataStart: Int64(file.header.dataStart), progress: progress)
    }

    public static func hash(reader: FileReader, dataStart: Int64, progress: any ProgressSink = SilentProgress()) throws -> CheckpointHashes {
        let (sha, data) = try digests(reader: reader, dataStart: dataStart, progress: progress)
        // AutoV1 reads only 64 KiB; a short file hashes whatever lies past 1 MiB, as A1111 does.
        let legacyStart: Int64 = 0x100000
        let size = reader.size
        let legacyCount = Int(max(0, min(0x10000, size - legacyStart)))
        let legacyBytes = legacyCount > 0 ? try reader.readBytes(at: legacyStart, count: legacyCount) : []
        let autov1 = String(SHA256.hash(data: legacyBytes).hex.prefix(8))
        return CheckpointHashes(sha256: sha, autov1: autov1, autov2: String(sha.prefix(10)).uppercased(), autov3: data ?? "")
    }

    /// The whole file's SHA-256 alone: one stream, the work `openssl dgst -sha256` does.
    /// What an audit needs to name a file; AutoV3's second stream would take the other
    /// core from the comparison running beside it.
    public static func sha256(reader: FileReader, progress: any ProgressSink = SilentProgress()) throws -> String {
        try digests(reader: reader, dataStart: nil, progress: progress).whole
    }

    /// One read of the file: the whole file's SHA-256 and, when `dataStart` is given, the
    /// SHA-256 of the bytes from there on (AutoV3) on a second thread.
    private static func digests(reader: FileReader, dataStart: Int64?, progress: any ProgressSink) throws -> (whole: String, data: String?) {
        let size = reader.size
        let blockCount = Int((size + Int64(blockSize) - 1) / Int64(blockSize))
        let ring = BufferRing(count: ringSize, byteCount: blockSize)
        defer { ring.deallocate() }
        let free = DispatchSemaphore(value: ringSize)
        let filled = DispatchSemaphore(value: 0)
        let state = HashState()
        progress.begin(label: "hashing", totalItems: blockCount, totalBytes: size)
        defer { progress.finish() }

        // The data hasher runs on a thread of its own. (DispatchQueue.concurrentPerform ran
        // both loops one after the other when only one CPU was available, e.g. under
        // `taskset -c 0` or a 1-CPU container, and the reader then waited forever for a free
        // buffer.)
        let dataHasher = dataStart.flatMap { dataStart in JoinedThread {
            // Tensor-data hasher (AutoV3), trailing the reader through the ring.
            var data = SHA256()
            for block in 0 ..< blockCount {
                filled.wait()
                let offset = Int64(block) * Int64(blockSize)
                let length = Int(min(Int64(blockSize), size - offset))
                let skip = Int(max(0, min(Int64(length), dataStart - offset)))
                if state.failed == nil, skip < length {
                    data.update(bufferPointer: UnsafeRawBufferPointer(rebasing: ring[block][skip ..< length]))
                }
                free.signal()
            }
            state.setData(data.finalize().hex)
        } }
        // No second thread to be had: this one feeds both hashes, block by block.
        var inlineData: SHA256? = dataStart != nil && dataHasher == nil ? SHA256() : nil

        // Reader + whole-file hasher, on the calling thread.
        var whole = SHA256()
        for block in 0 ..< blockCount {
            free.wait()
            let offset = Int64(block) * Int64(blockSize)
            let length = Int(min(Int64(blockSize), size - offset))
            let buffer = UnsafeMutableRawBufferPointer(rebasing: ring[block][0 ..< length])
            if state.failed == nil {
                do throws(FileAccessError) { try reader.read(into: buffer, at: offset) } catch { state.fail(error) }
            }
            if state.failed == nil { whole.update(bufferPointer: UnsafeRawBufferPointer(buffer)) }
            if let dataStart, inlineData != nil {
                let skip = Int(max(0, min(Int64(length), dataStart - offset)))
                if state.failed == nil, skip < length { inlineData?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[skip ..< length])) }
                free.signal()
            } else if dataHasher != nil {
                filled.signal()
            } else {
                free.signal()
            }
            progress.advance(items: 1, bytes: Int64(length))
        }
        state.setWhole(whole.finalize().hex)
        if let inlineData { state.setData(inlineData.finalize().hex) }
        dataHasher?.join()
        if let failure = state.failed { throw failure }
        return (state.whole, dataStart == nil ? nil : state.data)
    }
}

/// Results handed from the two hashing threads; every access is under the mutex.
private final class HashState: Sendable {
    private struct Values { var whole = ""; var data = ""; var failed: FileAccessError? }
    private let values = Mutex(Values())

    var whole: String { values.withLock { $0.whole } }
    var data: String { values.withLock { $0.data } }
    var failed: FileAccessError? { values.withLock { $0.failed } }
    func setWhole(_ value: String) { values.withLock { $0.whole = value } }
    func setData(_ value: String) { values.withLock { $0.data = value } }
    func fail(_ error: FileAccessError) { values.withLock { if $0.failed == nil { $0.failed = error } } }
}

extension Digest {
    /// Lowercase hexadecimal, as sha256sum prints it.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
