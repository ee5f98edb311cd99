import Foundation
import PedigreeYAML

/// Reads a policy folder:
///
///     <folder>/licences/*.yaml     one licence (or add-on terms) per file
///     <folder>/models/*.yaml       one base model per file
///     <folder>/classification.yaml similarity bands (optional; defaults apply)
///
/// Every file is read even after an error, so `policy lint` can list all problems at once.
public enum PolicyLoader {
    public static let licencesFolder = "licences"
    public static let modelsFolder = "models"
    public static let classificationFile = "classification.yaml"

    public static func load(folder: String) -> Result<PolicySet, PolicyProblems> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return .failure(PolicyProblems([.folderNotFound(searched: [folder])]))
        }
        var errors: [PolicyError] = []
        let licences: [Licence] = readAll(in: folder, sub: licencesFolder, errors: &errors, Licence.read(from:))
        let models: [BaseModel] = readAll(in: folder, sub: modelsFolder, errors: &errors, BaseModel.read(from:))
        var classification = ClassificationSettings.default
        var boundNodes: [YAMLNode] = []
        let classificationPath = join(folder, classificationFile)
        if FileManager.default.fileExists(atPath: classificationPath) {
            switch parse(classificationPath, ClassificationSettings.read(from:)) {
            case .success(let (settings, nodes)): classification = settings; boundNodes = nodes
            case .failure(let error): errors.append(error)
            }
        }
        switch PolicySet.assemble(folder: folder, licences: licences, models: models,
                                  classification: classification, bandBoundNodes: boundNodes) {
        case .success(let set):
            return errors.isEmpty ? .success(set) : .failure(PolicyProblems(errors))
        case .failure(let problems):
            // Cross-file errors may be knock-on effects of a file that failed to parse;
            // file errors come first because fixing them often clears the rest.
            return .failure(PolicyProblems(errors + problems.errors))
        }
    }

    private static func readAll<T>(in folder: String, sub: String, errors: inout [PolicyError],
                                   _ read: (YAMLNode) throws(YAMLIssue) -> T) -> [T] {
        let path = join(folder, sub)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            errors.append(.unreadable(path: path, reason: "missing folder '\(sub)/' (it holds one YAML file per entry)"))
            return []
        }
        var result: [T] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            switch parse(join(path, name), read) {
            case .success(let value): result.append(value)
            case .failure(let error): errors.append(error)
            }
        }
        return result
    }

    private static func parse<T>(_ path: String, _ read: (YAMLNode) throws(YAMLIssue) -> T) -> Result<T, PolicyError> {
        switch YAMLDocument.readText(atPath: path) {
        case .failure(let failure): return .failure(.unreadable(path: failure.path, reason: failure.reason))
        case .success(let text):
            do { return .success(try read(try YAMLDocument.parse(text, file: path))) } catch {
                return .failure(.yaml(error))
            }
        }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
