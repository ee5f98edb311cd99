import Foundation
import PedigreeYAML

/// Reads and validates a release manifest as strictly as the policy files: unknown fields,
/// wrong types and missing fields are located errors, and the bases and licence must exist
/// in the policy set.
public enum ManifestLoader {
    static let keys = ["name", "version", "file", "sha256", "scope", "bases", "licence", "commercial_use", "weights_published",
                       "licence_copy_included", "use_restrictions_passed_on", "changes_stated", "notices_retained",
                       "disclosures"]
    static let disclosureKeys = ["recipe", "prompts", "workflows", "training_data", "loras"]

    public static func load(path: String, policies: PolicySet) throws(ManifestError) -> ReleaseManifest {
        switch YAMLDocument.readText(atPath: path) {
        case .failure(let failure): throw .unreadable(path: failure.path, reason: failure.reason)
        case .success(let text):
            var manifest = try parse(text, file: path, policies: policies)
            // Disclosures given as local paths are read beside the manifest.
            let folder = (path as NSString).deletingLastPathComponent
            manifest.directory = folder.isEmpty ? "." : folder
            return manifest
        }
    }

    public static func parse(_ text: String, file: String, policies: PolicySet) throws(ManifestError) -> ReleaseManifest {
        let manifest: ReleaseManifest
        var baseNodes: [YAMLNode] = []
        var licenceName = ""
        do {
            let root = try YAMLDocument.parse(text, file: file)
            let object = try root.object(allowed: keys)
            let basesNode = try object.required("bases")
            baseNodes = try basesNode.sequence()
            var bases: [String] = []
            for node in baseNodes { bases.append(try node.nonEmptyString()) }
            if bases.isEmpty { throw basesNode.issue(.invalidValue("name at least one base model")) }
            let (licence, name) = try readLicence(try object.required("licence"), policies: policies)
            let fileNode = try object.required("file")
            var scope: [String]?
            if let scopeNode = object.optional("scope") {
                let parts = try scopeNode.strings()
                let known = ["unet", "clip_l", "clip_g", "vae"]
                if parts.isEmpty { throw scopeNode.issue(.invalidValue("scope names at least one component (\(known.joined(separator: ", ")))")) }
                for part in parts where !known.contains(part) {
                    throw scopeNode.issue(.invalidValue("'\(part)' is not a component; scope takes \(known.joined(separator: ", "))"))
                }
                if Set(parts).count != parts.count { throw scopeNode.issue(.invalidValue("scope names a component twice")) }
                scope = parts
            }
            let digestNode = object.optional("sha256")
            let digest = try digestNode.map { node throws(YAMLIssue) -> String in
                let value = try node.nonEmptyString().lowercased()
                guard value.count == 64, value.allSatisfy(\.isHexDigit) else {
                    throw node.issue(.invalidValue("sha256 must be the candidate's SHA-256, 64 hexadecimal digits"))
                }
                return value
            }
            licenceName = name
            manifest = ReleaseManifest(
                name: try object.required("name").nonEmptyString(),
                version: try object.required("version").nonEmptyString(),
                file: try fileNode.nonEmptyString(), fileLocation: fileNode.location,
                sha256: digest, sha256Location: digestNode?.location, scope: scope,
                bases: bases, licence: licence,
                commercialUse: try object.required("commercial_use").bool(),
                weightsPublished: try object.required("weights_published").bool(),
                licenceCopyIncluded: try object.required("licence_copy_included").bool(),
                useRestrictionsPassedOn: try object.required("use_restrictions_passed_on").bool(),
                changesStated: try object.optional("changes_stated")?.bool(),
                noticesRetained: try object.optional("notices_retained")?.bool(),
                disclosures: try readDisclosures(object.optional("disclosures")),
                location: root.location)
        } catch let error as YAMLIssue {
            throw .yaml(error)
        } catch let error as ManifestError {
            throw error
        } catch {
            throw .unreadable(path: file, reason: "\(error)")
        }
        for (index, node) in baseNodes.enumerated() where policies.model(manifest.bases[index]) == nil {
            let id = manifest.bases[index]
            throw .unknownBase(id: id, field: "bases[\(index)]", at: node.location,
                               suggestion: DidYouMean.suggestion(for: id, among: policies.models.map(\.id)))
        }
        if manifest.licence.id.isEmpty {
            throw .unknownLicence(name: licenceName, field: "licence", at: manifest.licence.location,
                                  suggestion: DidYouMean.suggestion(for: licenceName, among: policies.licences.map(\.id)))
        }
        return manifest
    }

    /// `licence: <policy id>` or `licence: {id: …}` or `licence: {huggingface: {license, license_name, license_link}}`.
    /// Returns an empty id when nothing matches so the caller reports it with its location.
    private static func readLicence(_ node: YAMLNode, policies: PolicySet) throws -> (ReleaseManifest.ChosenLicence, String) {
        if case .scalar = node.node {
            let id = try node.nonEmptyString()
            let known = policies.licence(id) != nil
            return (.init(id: known ? id : "", huggingface: nil, location: node.location), id)
        }
        let object = try node.object(allowed: ["id", "huggingface"])
        if let idNode = object.optional("id") {
            let id = try idNode.nonEmptyString()
            let known = policies.licence(id) != nil
            return (.init(id: known ? id : "", huggingface: nil, location: idNode.location), id)
        }
        guard let hfNode = object.optional("huggingface") else {
            throw YAMLIssue(.missingField, at: node.location, field: "licence.id")
        }
        let hf = try HuggingFaceLicence.read(from: hfNode)
        let name = hf.licenseName ?? hf.license
        let matches = policies.licences(huggingFaceLicense: hf.license, name: hf.licenseName, link: hf.licenseLink)
        if matches.count > 1 {
            throw ManifestError.ambiguousLicence(name: name, field: "licence.huggingface", at: hfNode.location,
                                                 candidates: matches.map(\.id))
        }
        return (.init(id: matches.first?.id ?? "", huggingface: hf, location: hfNode.location), name)
    }

    private static func readDisclosures(_ node: YAMLNode?) throws(YAMLIssue) -> ReleaseManifest.Disclosures {
        guard let node else { return .init(recipe: nil, prompts: nil, workflows: nil, trainingData: nil, loras: []) }
        let object = try node.object(allowed: disclosureKeys)
        return .init(recipe: try object.optionalString("recipe"), prompts: try object.optionalString("prompts"),
                     workflows: try object.optionalString("workflows"),
                     trainingData: try object.optionalString("training_data"), loras: try object.stringList("loras"))
    }

    /// The manifest belongs to the candidate: `file:` names it (by file name; folders are the
    /// releaser's business), and `sha256:`, when given, is its digest. Checked before any
    /// weights are read (the name) and once the candidate is hashed (the digest).
    public static func checkNames(_ manifest: ReleaseManifest, candidatePath: String, manifestPath: String) throws(ManifestError) {
        let declared = (manifest.file as NSString).lastPathComponent
        let actual = (candidatePath as NSString).lastPathComponent
        guard declared == actual else {
            throw .fileMismatch(declared: manifest.file, candidate: actual, at: manifest.fileLocation)
        }
    }

    public static func checkDigest(_ manifest: ReleaseManifest, candidateSHA256: String?) throws(ManifestError) {
        guard let expected = manifest.sha256, let actual = candidateSHA256?.lowercased() else { return }
        guard expected == actual else {
            throw .digestMismatch(declared: expected, candidate: actual, at: manifest.sha256Location ?? manifest.fileLocation)
        }
    }
}
