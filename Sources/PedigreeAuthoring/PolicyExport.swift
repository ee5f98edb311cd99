import Foundation
import PedigreePolicy
import PedigreeSupport

/// `policy export DIR`: writes the embedded policy set out as an ordinary folder to edit.
public enum PolicyExport {
    /// Writes every embedded file under `folder` (each atomically) and returns the paths.
    /// Refuses a folder that already holds files, unless `overwrite`, so an edited set is
    /// never replaced by accident.
    public static func write(to folder: String, overwrite: Bool) throws -> [String] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw FileAccessError.cannotWrite(path: folder, reason: "exists and is not a folder") }
            let existing = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
            if !existing.isEmpty && !overwrite { throw AuthoringError.alreadyExists(kind: "folder", id: folder) }
        }
        var written: [String] = []
        for file in EmbeddedPolicyFiles.all {
            let path = folder + "/" + file.path
            do {
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            } catch {
                throw FileAccessError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            try AtomicFile.write(file.text, to: path)
            written.append(path)
        }
        return written
    }
}
