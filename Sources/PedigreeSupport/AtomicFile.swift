import Foundation

/// Writes an output file atomically: the bytes go to a temporary file in the destination
/// folder, are flushed, and the temporary file is renamed over the destination. A reader
/// therefore sees either the old file or the complete new one, never a half-written report
/// or checkpoint, even if Pedigree is killed mid-write.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, creating parent folders as needed.
    public static func write(_ data: Data, to path: String) throws(FileAccessError) {
        try write(to: path) { handle throws(FileAccessError) in
            do { try handle.write(contentsOf: data) } catch {
                throw FileAccessError.cannotWrite(path: path, reason: error.localizedDescription)
            }
        }
    }

    /// Writes a UTF-8 string to `path` atomically.
    public static func write(_ text: String, to path: String) throws(FileAccessError) {
        try write(Data(text.utf8), to: path)
    }

    /// Streams content into a temporary file via `body`, then renames it to `path`.
    /// On any error the temporary file is removed and the destination is untouched.
    public static func write(
        to path: String, _ body: (FileHandle) throws(FileAccessError) -> Void
    ) throws(FileAccessError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: path, reason: "cannot create folder \(folder.path)")
        }
        let tempURL = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))")
        guard FileManager.default.createFile(atPath: tempURL.path, contents: nil) else {
            throw .cannotWrite(path: path, reason: "cannot create temporary file in \(folder.path)")
        }
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(at: tempURL) } }
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: tempURL) } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch let error as FileAccessError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
        if rename(tempURL.path, path) != 0 {
            throw .cannotWrite(path: path, reason: systemErrorText(errno))
        }
        renamed = true
    }
}
