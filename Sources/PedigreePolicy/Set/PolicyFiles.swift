import Foundation

/// The files a policy set is read from, by path relative to the policy folder
/// (`licences/noobai-xl-licence.yaml`), whether they came from a folder on disk or from the
/// copy embedded in the executable. The loader reads only this, so both sources are checked
/// by exactly the same code and hash to the same digest.
public struct PolicyFiles: Sendable {
    /// Where the files came from; reports name it next to the digest.
    public enum Origin: Sendable, Equatable {
        case folder(String)
        /// The shipped set compiled into the executable (`EmbeddedPolicyFiles`).
        case embedded
    }

    public var origin: Origin
    /// The files the loader reads (`licences/*.yaml`, `models/*.yaml`, `classification.yaml`).
    public var contents: [String: Data]
    /// Problems met while listing or reading (a missing `licences/` folder, an unreadable file).
    public var problems: [PolicyError]

    public init(origin: Origin, contents: [String: Data], problems: [PolicyError] = []) {
        self.origin = origin
        self.contents = contents
        self.problems = problems
    }

    /// What error locations start with: the folder as given, or `(embedded)` for the built-in set.
    public var displayRoot: String {
        switch origin {
        case .folder(let path): path
        case .embedded: PolicyFiles.embeddedRoot
        }
    }

    public static let embeddedRoot = "(embedded)"

    /// Whether the loader reads a file at this relative path. Only `.yaml`: a `.yml` file,
    /// a model at the top level or a file in an unknown folder is reported by `policy lint`
    /// (see `PolicyInventory`) rather than silently read or silently skipped.
    public static func isPolicyFile(_ relativePath: String) -> Bool {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1 { return relativePath == PolicyLoader.classificationFile }
        return parts.count == 2 && [PolicyLoader.licencesFolder, PolicyLoader.modelsFolder].contains(String(parts[0]))
            && parts[1].hasSuffix(".yaml") && parts[1].count > ".yaml".count && !parts[1].hasPrefix(".")
    }

    /// Reads the policy files of a folder. Nothing is opened for writing.
    public static func read(folder: String) -> PolicyFiles {
        var files = PolicyFiles(origin: .folder(folder), contents: [:])
        let manager = FileManager.default
        for sub in [PolicyLoader.licencesFolder, PolicyLoader.modelsFolder] {
            let path = PolicyLoader.join(folder, sub)
            guard let names = try? manager.contentsOfDirectory(atPath: path) else {
                files.problems.append(.unreadable(path: path, reason: "missing folder '\(sub)/' (it holds one YAML file per entry)"))
                continue
            }
            for name in names.sorted() where isPolicyFile(sub + "/" + name) {
                files.add(sub + "/" + name, at: PolicyLoader.join(path, name))
            }
        }
        let classification = PolicyLoader.join(folder, PolicyLoader.classificationFile)
        if manager.fileExists(atPath: classification) { files.add(PolicyLoader.classificationFile, at: classification) }
        return files
    }

    private mutating func add(_ relative: String, at path: String) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            problems.append(.unreadable(path: path, reason: "is a folder, expected a YAML file"))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(.unreadable(path: path, reason: "permission denied or unreadable"))
            return
        }
        contents[relative] = data
    }

    /// The shipped set compiled into the executable, as the loader reads it.
    public static var embedded: PolicyFiles {
        var contents: [String: Data] = [:]
        for file in EmbeddedPolicyFiles.all where isPolicyFile(file.path) { contents[file.path] = Data(file.text.utf8) }
        return PolicyFiles(origin: .embedded, contents: contents)
    }

    /// The digest of these files (see `PolicySetDigest`).
    public var digest: PolicySetDigest { PolicySetDigest(contents) }
}
