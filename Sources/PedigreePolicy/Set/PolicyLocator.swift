import Foundation

/// Finds the policy folder, in one place so every command agrees:
/// 1. the folder given on the command line, if any (must exist);
/// 2. `Policies/` in the current directory;
/// 3. a `Policies/` folder in the executable's folder or any folder above it, so a built
///    `.build/debug/pedigree` finds the repository's shipped set from anywhere.
public enum PolicyLocator {
    public static let defaultFolderName = "Policies"

    public static func locate(explicit: String?,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executablePath: String? = CommandLine.arguments.first) -> Result<String, PolicyError> {
        if let explicit {
            return isFolder(explicit) ? .success(explicit) : .failure(.folderNotFound(searched: [explicit]))
        }
        var searched: [String] = []
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent(defaultFolderName).path
        if isFolder(local) { return .success(defaultFolderName) }
        searched.append(local)
        if let executablePath {
            var url = URL(fileURLWithPath: executablePath, relativeTo: URL(fileURLWithPath: currentDirectory))
                .standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
            while url.path != "/" {
                let candidate = url.appendingPathComponent(defaultFolderName).path
                if isFolder(candidate) { return .success(candidate) }
                searched.append(candidate)
                url.deleteLastPathComponent()
            }
        }
        return .failure(.folderNotFound(searched: searched))
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}

extension PolicyLoader {
    /// Finds the policy folder (see `PolicyLocator`) and loads it, turning every problem
    /// into a thrown `PedigreeError` (exit 2). What every command that needs policies calls.
    public static func locateAndLoad(explicit folder: String?) throws -> PolicySet {
        let located: String
        switch PolicyLocator.locate(explicit: folder) {
        case .success(let path): located = path
        case .failure(let error): throw error
        }
        switch load(folder: located) {
        case .success(let set): return set
        case .failure(let problems): throw problems
        }
    }
}
