// Linux is where Pedigree is built and tested; the Darwin branches are kept correct by
// reading but are not tested here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PedigreeSupport

/// Which version of a file was read: enough of `stat` to tell that a file was rewritten in
/// place (size, modification or status-change time) or replaced by another (device, inode).
/// The status-change time cannot be set back by `touch`, so a rewrite that restores the
/// old modification time is still seen.
public struct FileStamp: Sendable, Equatable {
    public let size: Int64
    public let modified: Double
    public let changed: Double
    public let inode: UInt64
    public let device: UInt64

    init(_ info: stat) {
        size = Int64(info.st_size)
        modified = info.modificationTime.seconds
        changed = info.statusChangeTime.seconds
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
    }

    /// What differs between `self` (before) and `after`, for the error message.
    func change(to after: FileStamp) -> String? {
        if device != after.device || inode != after.inode { return "another file was put in its place" }
        if size != after.size { return "its size went from \(size) to \(after.size) bytes" }
        if modified != after.modified || changed != after.changed { return "it was rewritten" }
        return nil
    }
}

/// A read-only file descriptor with positioned reads.
///
/// Pedigree reads tensors with `pread` into buffers it owns rather than memory-mapping
/// them: mapped pages count towards resident memory, and a 4 × 7 GB comparison would
/// then report ~28 GB resident; positioned reads keep memory bounded by the buffers.
/// `pread` has no shared file position, so one reader serves many threads.
public final class FileReader: Sendable {
    public let path: String
    public let size: Int64
    /// The file as it was when opened.
    public let stamp: FileStamp
    private let descriptor: Int32

    /// Opens `path` read-only (`O_RDONLY`): Pedigree never writes to its inputs.
    public init(path: String) throws(FileAccessError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: systemErrorText(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = systemErrorText(errno)
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .isDirectory(path: path)
        }
        self.path = path
        self.size = Int64(info.st_size)
        self.stamp = FileStamp(info)
        self.descriptor = fd
        // Tell the kernel we stream through the file, so it reads ahead generously. Darwin
        // has no posix_fadvise and reads ahead by default (F_RDAHEAD), so there is nothing
        // to say there (untested: Pedigree is built and tested on Linux only).
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit { close(descriptor) }

    /// The open descriptor, for a kernel-side copy (`stamp`); valid only inside `body`.
    public func withDescriptor<T>(_ body: (Int32) throws -> T) rethrows -> T { try body(descriptor) }

    /// Throws `changedWhileReading` unless the open file and the file now at `path` are
    /// both still exactly what was opened. Called after a file has been read, so that a
    /// candidate or reference truncated, extended or rewritten meanwhile gives an error
    /// rather than a verdict computed from a mix of old and new bytes.
    public func checkUnchanged() throws(FileAccessError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .cannotRead(path: path, reason: systemErrorText(errno)) }
        if let change = stamp.change(to: FileStamp(info)) { throw .changedWhileReading(path: path, change: change) }
        guard stat(path, &info) == 0 else { throw .changedWhileReading(path: path, change: "it was removed") }
        if let change = stamp.change(to: FileStamp(info)) { throw .changedWhileReading(path: path, change: change) }
    }

    /// Fills `buffer` completely from `offset`. Throws if the file ends first.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileAccessError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        do {
            try WholeSpanIO.complete(count: buffer.count) { done in
                // SAFETY: `base + done` stays inside `buffer` because done < buffer.count, and
                // pread writes at most `buffer.count - done` bytes there.
                pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            }
        } catch {
            switch error {
            case .failed(let code): throw .cannotRead(path: path, reason: systemErrorText(code))
            case .ended(let done):
                throw .cannotRead(path: path, reason: "file ended at byte \(offset + Int64(done)) (was it truncated while being read?)")
            }
        }
    }

    /// Reads `count` bytes at `offset` into a new array (for headers and small regions).
    public func readBytes(at offset: Int64, count: Int) throws(FileAccessError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var failure: FileAccessError?
        bytes.withUnsafeMutableBytes { raw in
            do throws(FileAccessError) { try read(into: raw, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        return bytes
    }
}
