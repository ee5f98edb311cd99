import Foundation

/// Finds the policy set, in one place so every command agrees:
/// 1. the folder given on the command line (`--policies`), if any (must exist);
/// 2. the folder in `$PEDIGREE_POLICIES`, if set (must exist);
/// 3. `Policies/` in the current directory;
/// 4. a `Policies/` folder in the executable's folder or any folder above it, so a built
///    `.build/debug/pedigree` finds the repository's (possibly edited) set from anywhere;
/// 5. the shipped set embedded in the executable, so a copied binary still works.
public enum PolicyLocator {
    public static let defaultFolderName = "Policies"
    public static let environmentVariable = "PEDIGREE_POLICIES"

    /// A policy set's place: a folder, or the copy compiled into the executable.
    public enum Location: Sendable, Equatable {
        case folder(String)
        case embedded
    }

    public static func locate(explicit: String?,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath,
                              executablePath: String? = CommandLine.arguments.first) -> Result<Location, PolicyError> {
        if let explicit {
            return isFolder(explicit) ? .success(.folder(explicit)) : .failure(.folderNotFound(searched: [explicit]))
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return isFolder(fromEnvironment) ? .success(.folder(fromEnvironment))
                : .failure(.folderNotFound(searched: ["\(fromEnvironment) (from \(environmentVariable))"]))
        }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent(defaultFolderName).path
        if isFolder(local) { return .success(.folder(defaultFolderName)) }
        if let executablePath {
            var url = URL(fileURLWithPath: executablePath, relativeTo: URL(fileURLWithPath: currentDirectory))
                .standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
            while url.path != "/" {
                let candidate = url.appendingPathComponent(defaultFolderName).path
                if isFolder(candidate) { return .success(.folder(candidate)) }
                url.deleteLastPathComponent()
            }
        }
        return .success(.embedded)
    }

    static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}

extension PolicyLoader {
    /// Loads a located set.
    public static func load(located location: PolicyLocator.Location) -> Result<PolicySet, PolicyProblems> {
        switch location {
        case .folder(let path): load(folder: path)
        case .embedded: loadEmbedded()
        }
    }

    /// Finds the policy set (see `PolicyLocator`) and loads it, turning every problem
    /// into a thrown `PedigreeError` (exit 2). What every command that needs policies calls.
    public static func locateAndLoad(explicit folder: String?) throws -> PolicySet {
        try locateAndLoadWithPlace(explicit: folder).set
    }

    /// The same, with where the set was found (a command that writes into it needs a folder).
    public static func locateAndLoadWithPlace(explicit folder: String?) throws -> (set: PolicySet, location: PolicyLocator.Location) {
        let located: PolicyLocator.Location
        switch PolicyLocator.locate(explicit: folder) {
        case .success(let location): located = location
        case .failure(let error): throw error
        }
        switch load(located: located) {
        case .success(let set): return (set, located)
        case .failure(let problems): throw problems
        }
    }
}
