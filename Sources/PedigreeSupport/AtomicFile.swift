import Foundation

/// An output file that appears at its destination only when complete.
///
/// Bytes go to a temporary file in the destination folder (same file system, so the final
/// rename is atomic); `commit()` flushes and renames it into place. If the output is
/// dropped without a commit, or any write fails, the temporary file is removed and the
/// destination is untouched: nobody ever sees a half-written report or checkpoint.
public final class AtomicOutput {
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// `mode` is the new file's permission bits (before the umask): 0o600 for secrets such
    /// as private keys, which must never exist world-readable, not even as a temporary file.
    public init(path: String, mode: mode_t = 0o644) throws(FileAccessError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: path, reason: "cannot create folder \(folder.path)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .isDirectory(path: path)
        }
        Self.removeStrayTemporaries(of: url.lastPathComponent, in: folder.path)
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))"
        self.path = path
        self.temporaryPath = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(suffix)").path
        self.descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: systemErrorText(errno)) }
    }

    /// A process killed between creating its temporary file and renaming it leaves the
    /// temporary behind (the destination itself is always whole). The next write of the same
    /// file removes those whose writer, named by the pid in the file name, no longer runs;
    /// a live writer's temporary is left alone.
    static func removeStrayTemporaries(of name: String, in folder: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH { unlink(folder + "/" + entry) }
        }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    /// Appends all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileAccessError) {
        guard let base = bytes.baseAddress else { return }
        do {
            try WholeSpanIO.complete(count: bytes.count) { done in
                // SAFETY: base + done .. base + count lies inside `bytes` (done < bytes.count).
                Foundation.write(descriptor, base + done, bytes.count - done)
            }
        } catch {
            switch error {
            case .failed(let code): throw .cannotWrite(path: path, reason: systemErrorText(code))
            case .ended: throw .cannotWrite(path: path, reason: "the system wrote nothing (is the disk full?)")
            }
        }
    }

    /// Overwrites `bytes.count` bytes at `offset`, which must lie within what was already
    /// written: lets a writer patch a fixed-size field (a hash known only at the end) without
    /// a second pass. The sequential position is unchanged.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileAccessError) {
        guard let base = bytes.baseAddress else { return }
        do {
            try WholeSpanIO.complete(count: bytes.count) { done in
                // SAFETY: base + done .. base + count lies inside `bytes` (done < bytes.count).
                pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done))
            }
        } catch {
            switch error {
            case .failed(let code): throw .cannotWrite(path: path, reason: systemErrorText(code))
            case .ended: throw .cannotWrite(path: path, reason: "the system wrote nothing (is the disk full?)")
            }
        }
    }

    public func write(_ data: Data) throws(FileAccessError) {
        var failure: FileAccessError?
        data.withUnsafeBytes { raw in
            do throws(FileAccessError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    public func write(_ text: String) throws(FileAccessError) { try write(Data(text.utf8)) }

    /// The temporary file's descriptor, positioned after what was written, for a kernel-side
    /// copy into it; valid only inside `body`, and only before `commit()`.
    public func withDescriptor<T>(_ body: (Int32) throws -> T) rethrows -> T { try body(descriptor) }

    /// Flushes to disk and renames the temporary file over the destination.
    public func commit() throws(FileAccessError) {
        guard !committed else { return }
        if fsync(descriptor) != 0 { throw .cannotWrite(path: path, reason: systemErrorText(errno)) }
        if close(descriptor) != 0 { descriptor = -1; throw .cannotWrite(path: path, reason: systemErrorText(errno)) }
        descriptor = -1
        if rename(temporaryPath, path) != 0 { throw .cannotWrite(path: path, reason: systemErrorText(errno)) }
        committed = true
    }
}

/// One-shot atomic writes of whole contents.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(FileAccessError) {
        let output = try AtomicOutput(path: path)
        try output.write(data)
        try output.commit()
    }

    public static func write(_ text: String, to path: String) throws(FileAccessError) {
        try write(Data(text.utf8), to: path)
    }
}
