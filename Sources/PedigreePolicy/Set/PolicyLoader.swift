import Foundation
import PedigreeYAML

/// Reads a policy folder:
///
///     <folder>/licences/*.yaml     one licence (or add-on terms) per file
///     <folder>/models/*.yaml       one base model per file
///     <folder>/classification.yaml similarity bands (optional; defaults apply)
///
/// Every file is read even after an error, so `policy lint` can list all problems at once.
/// The files come through `PolicyFiles`, so the embedded set is checked like a folder.
public enum PolicyLoader {
    public static let licencesFolder = "licences"
    public static let modelsFolder = "models"
    public static let classificationFile = "classification.yaml"

    public static func load(folder: String) -> Result<PolicySet, PolicyProblems> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return .failure(PolicyProblems([.folderNotFound(searched: [folder])]))
        }
        return load(PolicyFiles.read(folder: folder))
    }

    /// The set compiled into the executable.
    public static func loadEmbedded() -> Result<PolicySet, PolicyProblems> { load(PolicyFiles.embedded) }

    public static func load(_ files: PolicyFiles) -> Result<PolicySet, PolicyProblems> {
        var errors = files.problems
        let root = files.displayRoot
        func readAll<T>(_ sub: String, _ read: (YAMLNode) throws(YAMLIssue) -> T) -> [T] {
            var result: [T] = []
            for path in files.contents.keys.sorted() where path.hasPrefix(sub + "/") {
                switch parse(files.contents[path]!, file: join(root, path), read) {
                case .success(let value): result.append(value)
                case .failure(let error): errors.append(error)
                }
            }
            return result
        }
        let licences: [Licence] = readAll(licencesFolder, Licence.read(from:))
        let models: [BaseModel] = readAll(modelsFolder, BaseModel.read(from:))
        var classification = ClassificationSettings.default
        var boundNodes: [YAMLNode] = []
        var defaults = DefaultReferenceSet.none
        var hosts = SourceHostList.none
        if let data = files.contents[classificationFile] {
            switch parse(data, file: join(root, classificationFile), ClassificationSettings.read(from:)) {
            case .success(let (settings, nodes)):
                classification = settings; boundNodes = nodes
                // Read on its own: the same mapping, but an input of the comparison (see the type).
                switch parse(data, file: join(root, classificationFile), DefaultReferenceSet.read(from:)) {
                case .success(let read): defaults = read
                case .failure(let error): errors.append(error)
                }
                switch parse(data, file: join(root, classificationFile), SourceHostList.read(from:)) {
                case .success(let read): hosts = read
                case .failure(let error): errors.append(error)
                }
            case .failure(let error): errors.append(error)
            }
        }
        switch PolicySet.assemble(folder: root, licences: licences, models: models,
                                  classification: classification, bandBoundNodes: boundNodes) {
        case .success(var set):
            set.identity = PolicySetIdentity(files: files)
            set.sourceHosts = hosts
            errors += set.adopt(defaultReferences: defaults)
            return errors.isEmpty ? .success(set) : .failure(PolicyProblems(errors))
        case .failure(let problems):
            // Cross-file errors may be knock-on effects of a file that failed to parse;
            // file errors come first because fixing them often clears the rest.
            return .failure(PolicyProblems(errors + problems.errors))
        }
    }

    /// Reads one file's bytes with one schema reader (also used by `policy lint`'s per-file checks
    /// and the schema-agreement tests).
    static func parse<T>(_ data: Data, file: String, _ read: (YAMLNode) throws(YAMLIssue) -> T) -> Result<T, PolicyError> {
        guard let text = String(data: data, encoding: .utf8) else { return .failure(.unreadable(path: file, reason: "not valid UTF-8")) }
        do { return .success(try read(try YAMLDocument.parse(text, file: file))) } catch {
            return .failure(.yaml(error))
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// The kinds of policy file, for checking one file on its own (no cross-file references).
public enum PolicyFileKind: String, CaseIterable, Sendable {
    case licence, model, classification

    /// Parses `data` as this kind of file; nil on success, else the first problem.
    public func check(_ data: Data, file: String) -> PolicyError? {
        let result: Result<Void, PolicyError>
        switch self {
        case .licence: result = PolicyLoader.parse(data, file: file, Licence.read(from:)).map { _ in () }
        case .model: result = PolicyLoader.parse(data, file: file, BaseModel.read(from:)).map { _ in () }
        case .classification:
            result = PolicyLoader.parse(data, file: file, ClassificationSettings.read(from:)).flatMap { settings, nodes in
                // Band order is a within-file rule: check it here as the set does.
                if case .failure(let problems) = PolicySet.assemble(folder: file, licences: [], models: [],
                                                                    classification: settings, bandBoundNodes: nodes) {
                    return .failure(problems.errors[0])
                }
                return .success(())
            }
        }
        if case .failure(let error) = result { return error }
        return nil
    }
}
