import CPedigreeKernels
import Crypto
import Dispatch
import Foundation
import PedigreeSupport
import Synchronization

/// Copies a safetensors file with a new `__metadata__`, in one streaming pass, leaving the
/// tensor data byte for byte as it was (so its AutoV3 hash is unchanged).
///
/// The header is rebuilt from the validated tensor entries with their original data
/// offsets; the data section is copied verbatim. While copying, the whole input file and
/// its data section are hashed on the two cores (the reader hashes the whole file, the
/// writer hashes the data it writes), so the copy also proves which file it read and can
/// write ModelSpec's `hash_sha256` — known only at the end — into the header, which is
/// patched in place before the output is committed. The input is opened read-only; the
/// output appears atomically, and only if `accept` approves the hashes.
public enum SafetensorsMetadataCopy {
    public struct Hashes: Sendable, Equatable {
        /// SHA-256 of the whole input file.
        public let inputSHA256: String
        /// SHA-256 of the data section (AutoV3), the same for input and output.
        public let dataSHA256: String

        public init(inputSHA256: String, dataSHA256: String) {
            self.inputSHA256 = inputSHA256
            self.dataSHA256 = dataSHA256
        }
    }

    static let blockSize = 8 << 20
    static let ringSize = 4

    /// `metadata` may hold `dataHashKey` with a placeholder value; it is replaced by
    /// `formatDataHash(dataSHA256)`, which must have the placeholder's length.
    public static func copy(
        _ file: SafetensorsFile, to outputPath: String, metadata: [String: String],
        dataHashKey: String? = nil, formatDataHash: @escaping @Sendable (String) -> String = { $0 },
        knownHashes: Hashes? = nil,
        progress: any ProgressSink = SilentProgress(), accept: (Hashes) throws -> Void = { _ in }
    ) throws -> Hashes {
        try refuseSameFile(input: file.path, output: outputPath)
        let entries = file.header.tensors
        // With the input's hashes known (the hash cache, keyed by the open file's identity,
        // which is checked again after the copy), the copy hashes nothing and the header is
        // final from the start: the copy runs at the disk's speed.
        var first = metadata
        if let knownHashes, let key = dataHashKey, metadata[key] != nil { first[key] = formatDataHash(knownHashes.dataSHA256) }
        var header = headerJSON(entries, metadata: first)
        let hashing = knownHashes == nil
        guard UInt64(header.count) <= HeaderValidation.maxHeaderLength else {
            throw MetadataCopyError.headerTooLarge(path: outputPath, length: header.count)
        }
        let reader = file.reader
        let dataStart = Int64(file.header.dataStart)
        let output = try AtomicOutput(path: outputPath)
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try output.write($0) }
        try header.withUnsafeBytes { try output.write($0) }

        // The input's own header, hashed first for the whole-file digest.
        var whole = SHA256()
        let inputHeader = try reader.readBytes(at: 0, count: Int(dataStart))
        whole.update(data: inputHeader)

        let size = reader.size
        let dataLength = size - dataStart
        // Hashes known: the data section goes across inside the kernel, no byte through here.
        if let knownHashes, try kernelCopy(from: reader, at: dataStart, count: dataLength, to: output, path: outputPath, progress: progress) {
            try reader.checkUnchanged()
            try accept(knownHashes)
            try output.commit()
            return knownHashes
        }
        let blockCount = Int((dataLength + Int64(blockSize) - 1) / Int64(blockSize))
        let ring = BufferRing(count: ringSize, byteCount: blockSize)
        defer { ring.deallocate() }
        let free = DispatchSemaphore(value: ringSize)
        let filled = DispatchSemaphore(value: 0)
        let state = CopyState()
        progress.begin(label: "stamping", totalItems: blockCount, totalBytes: dataLength)
        defer { progress.finish() }

        // Writer: hashes the data and appends it to the output, trailing the reader.
        let sink = OutputHandoff(output)
        let writer = JoinedThread {
            let output = sink.output
            var data = SHA256()
            for block in 0 ..< blockCount {
                filled.wait()
                let offset = Int64(block) * Int64(blockSize)
                let count = Int(min(Int64(blockSize), dataLength - offset))
                if state.failed == nil {
                    let bytes = UnsafeRawBufferPointer(rebasing: ring[block][0 ..< count])
                    if hashing { data.update(bufferPointer: bytes) }
                    do throws(FileAccessError) { try output.write(bytes) } catch { state.fail(error) }
                }
                free.signal()
            }
            state.setData(data.finalize().map { String(format: "%02x", $0) }.joined())
        }
        guard let writer else { throw FileAccessError.cannotRead(path: reader.path, reason: "no thread could be started to write the copy (the system is out of threads)") }

        // Reader (this thread): positioned reads into the ring, whole-file hash.
        for block in 0 ..< blockCount {
            free.wait()
            let offset = Int64(block) * Int64(blockSize)
            let count = Int(min(Int64(blockSize), dataLength - offset))
            let buffer = UnsafeMutableRawBufferPointer(rebasing: ring[block][0 ..< count])
            if state.failed == nil {
                do throws(FileAccessError) { try reader.read(into: buffer, at: dataStart + offset) } catch { state.fail(error) }
            }
            if state.failed == nil, hashing { whole.update(bufferPointer: UnsafeRawBufferPointer(buffer)) }
            filled.signal()
            progress.advance(items: 1, bytes: Int64(count))
        }
        writer.join()
        if let failure = state.failed { throw failure }
        if let knownHashes {
            // The bytes copied are the bytes the known hashes describe only if the file did
            // not change meanwhile (IO005 otherwise).
            try reader.checkUnchanged()
            try accept(knownHashes)
            try output.commit()
            return knownHashes
        }
        let hashes = Hashes(inputSHA256: whole.finalize().map { String(format: "%02x", $0) }.joined(), dataSHA256: state.data)

        if let key = dataHashKey, metadata[key] != nil {
            var final = metadata
            final[key] = formatDataHash(hashes.dataSHA256)
            let patched = headerJSON(entries, metadata: final)
            // The placeholder has the final value's length, so offsets and data stay put.
            precondition(patched.count == header.count, "the data-hash placeholder must have the final value's length")
            header = patched
            try header.withUnsafeBytes { try output.write($0, at: 8) }
        }
        try accept(hashes)
        try output.commit()
        return hashes
    }

    /// Refuses to write over the input (the same file by another name included): the input
    /// is never written, not even by replacing it.
    /// Copies `count` bytes from `reader` at `offset` to the end of `output` with
    /// copy_file_range. False, having copied nothing, when the kernel or file systems cannot
    /// (the caller then copies through its buffers); a failure part-way throws.
    static func kernelCopy(from reader: FileReader, at offset: Int64, count: Int64, to output: AtomicOutput, path: String,
                           progress: any ProgressSink) throws -> Bool {
        var position = offset
        var remaining = count
        progress.begin(label: "stamping", totalItems: 0, totalBytes: count)
        defer { progress.finish() }
        while remaining > 0 {
            let chunk = Int(min(remaining, 1 << 30))
            let copied = reader.withDescriptor { input in
                output.withDescriptor { out in pk_copy_file_range(input, &position, out, chunk) }
            }
            if copied < 0 {
                if errno == EINTR { continue }
                if remaining == count, [EXDEV, ENOSYS, EINVAL, EOPNOTSUPP].contains(errno) { return false }
                throw FileAccessError.cannotWrite(path: path, reason: systemErrorText(errno))
            }
            if copied == 0 { throw FileAccessError.cannotRead(path: reader.path, reason: "ended \(remaining) bytes early") }
            remaining -= Int64(copied)
            progress.advance(items: 0, bytes: Int64(copied))
        }
        return true
    }

    static func refuseSameFile(input: String, output: String) throws {
        var a = stat(), b = stat()
        guard stat(input, &a) == 0, stat(output, &b) == 0 else { return }
        if a.st_dev == b.st_dev, a.st_ino == b.st_ino { throw MetadataCopyError.outputIsInput(path: output) }
    }

    /// The header: `__metadata__` first (sorted keys), then every tensor with its original
    /// dtype, shape and data offsets, padded with spaces to a multiple of 8 bytes.
    static func headerJSON(_ tensors: [TensorInfo], metadata: [String: String]) -> [UInt8] {
        let json = SafetensorsWriter.headerJSON(metadata: metadata, tensors: tensors.map {
            SafetensorsWriter.HeaderTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape, offsets: $0.dataOffsets)
        })
        var bytes = Array(json.utf8)
        bytes.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - bytes.count % 8) % 8))
        return bytes
    }
}

public enum MetadataCopyError: PedigreeError, Equatable {
    case outputIsInput(path: String)
    case headerTooLarge(path: String, length: Int)

    public var code: String {
        switch self {
        case .outputIsInput: "SW006"
        case .headerTooLarge: "SW007"
        }
    }

    public var message: String {
        switch self {
        case .outputIsInput(let path): "\(path): is the input file; write the stamped copy to a new path (the input is never modified)"
        case .headerTooLarge(let path, let length): "\(path): the new header would be \(length) bytes, over the 100 MB safetensors limit"
        }
    }
}

/// The output, handed to the writer thread for the copy and back afterwards.
/// SAFETY: only the writer thread touches it between its start and `writer.join()`;
/// the calling thread joins the writer before using it again, so access never overlaps.
private final class OutputHandoff: @unchecked Sendable {
    let output: AtomicOutput
    init(_ output: AtomicOutput) { self.output = output }
}

/// Results handed between the two copy threads; every access is under the mutex.
private final class CopyState: Sendable {
    private struct Values { var data = ""; var failed: FileAccessError? }
    private let values = Mutex(Values())

    var data: String { values.withLock { $0.data } }
    var failed: FileAccessError? { values.withLock { $0.failed } }
    func setData(_ value: String) { values.withLock { $0.data = value } }
    func fail(_ error: FileAccessError) { values.withLock { if $0.failed == nil { $0.failed = error } } }
}
