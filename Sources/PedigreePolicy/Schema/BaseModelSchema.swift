import PedigreeYAML

/// A base model Pedigree knows: who published it, what it was trained from, which licence
/// it carries, which files are it. Every fact has a source URL and an evidence grade.
public struct BaseModel: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var publisher: String
    public var version: String
    /// Where name, publisher and version were read.
    public var source: String
    /// Hugging Face repo id, as a model card's `base_model:` would name it.
    public var huggingfaceRepo: String?
    /// Other names (file stems, Civitai names) that mean this model.
    public var aliases: [String]
    public var licence: LicenceAssignment
    public var parents: [ParentEdge]
    public var prediction: Prediction
    public var files: [KnownFile]
    /// Path of a similarity fingerprint, relative to the policy folder.
    public var fingerprint: String?
    public var uncertainty: [Uncertainty]
    public var notes: String?
    public var location: SourceLocation

    static let keys = ["id", "name", "publisher", "version", "source", "huggingface_repo", "aliases", "licence",
                       "parents", "prediction", "files", "fingerprint", "uncertainty", "notes"]

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> BaseModel {
        let object = try node.object(allowed: keys)
        var parents: [ParentEdge] = []
        for item in try object.optional("parents")?.sequence() ?? [] { parents.append(try ParentEdge.read(from: item)) }
        var files: [KnownFile] = []
        for item in try object.optional("files")?.sequence() ?? [] { files.append(try KnownFile.read(from: item)) }
        let fingerprint = try object.optionalString("fingerprint")
        if let fingerprint, fingerprint.hasPrefix("/") || fingerprint.split(separator: "/").contains("..") {
            throw (object.optional("fingerprint") ?? node).issue(
                .invalidValue("fingerprint must be a path inside the policy folder (relative, no '..')"))
        }
        return BaseModel(
            id: try object.required("id").identifier(),
            name: try object.required("name").nonEmptyString(),
            publisher: try object.required("publisher").nonEmptyString(),
            version: try object.required("version").nonEmptyString(),
            source: try object.required("source").url(),
            huggingfaceRepo: try object.optionalString("huggingface_repo"),
            aliases: try object.stringList("aliases"),
            licence: try LicenceAssignment.read(from: object.required("licence")),
            parents: parents,
            prediction: try Prediction.read(from: object.required("prediction")),
            files: files,
            fingerprint: fingerprint,
            uncertainty: try object.uncertainties(),
            notes: try object.optionalString("notes"),
            location: node.location)
    }
}

/// The licence a model is released under, and how sure we are.
public struct LicenceAssignment: Codable, Equatable, Sendable {
    public var id: String
    public var source: String
    public var evidence: Evidence
    public var location: SourceLocation

    static func read(from node: YAMLNode) throws(YAMLIssue) -> LicenceAssignment {
        let object = try node.object(allowed: ["id", "source", "evidence"])
        let idNode = try object.required("id")
        return LicenceAssignment(id: try idNode.identifier(), source: try object.required("source").url(),
                                 evidence: try object.required("evidence").oneOf(Evidence.self),
                                 location: idNode.location)
    }
}

/// A lineage edge: this model was made from `id`.
public struct ParentEdge: Codable, Equatable, Sendable {
    public enum Relation: String, Codable, CaseIterable, Sendable {
        /// Further training of the parent's weights (fine-tune, continued or resumed training).
        case finetune
        /// Weighted or difference merge involving the parent.
        case merge
    }

    public var id: String
    public var relation: Relation
    public var source: String
    public var evidence: Evidence
    /// Intermediate models between this one and `id` that the policy set leaves out.
    public var skipped: [String]
    public var note: String?
    public var location: SourceLocation

    static func read(from node: YAMLNode) throws(YAMLIssue) -> ParentEdge {
        let object = try node.object(allowed: ["id", "relation", "source", "evidence", "skipped", "note"])
        let idNode = try object.required("id")
        return ParentEdge(id: try idNode.identifier(), relation: try object.required("relation").oneOf(Relation.self),
                          source: try object.required("source").url(),
                          evidence: try object.required("evidence").oneOf(Evidence.self),
                          skipped: try object.stringList("skipped"), note: try object.optionalString("note"),
                          location: idNode.location)
    }
}

/// The diffusion objective: epsilon or v-prediction. Matters for merges, which mix badly.
public struct Prediction: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case eps
        case vPrediction = "v-prediction"
    }

    public var type: Kind
    public var source: String
    public var evidence: Evidence
    public var note: String?

    static func read(from node: YAMLNode) throws(YAMLIssue) -> Prediction {
        let object = try node.object(allowed: ["type", "source", "evidence", "note"])
        return Prediction(type: try object.required("type").oneOf(Kind.self), source: try object.required("source").url(),
                          evidence: try object.required("evidence").oneOf(Evidence.self),
                          note: try object.optionalString("note"))
    }
}

/// A published file of the model, with the hashes that identify it.
public struct KnownFile: Codable, Equatable, Sendable {
    public var name: String
    public var bytes: Int?
    /// Lower-case hex SHA-256 of the whole file.
    public var sha256: String?
    /// Civitai's AutoV2: the first 10 hex digits of the SHA-256, upper-case.
    public var autov2: String?
    public var source: String
    public var evidence: Evidence
    public var note: String?

    static func read(from node: YAMLNode) throws(YAMLIssue) -> KnownFile {
        let object = try node.object(allowed: ["name", "bytes", "sha256", "autov2", "source", "evidence", "note"])
        let hex = Set("0123456789abcdef")
        let shaNode = object.optional("sha256")
        let sha = try shaNode?.nonEmptyString()
        if let shaNode, let sha, sha.count != 64 || !sha.allSatisfy({ hex.contains($0) }) {
            throw shaNode.issue(.invalidValue("sha256 must be 64 lower-case hex digits"))
        }
        let autoNode = object.optional("autov2")
        let autov2 = try autoNode?.nonEmptyString()
        if let autoNode, let autov2 {
            guard autov2.count == 10, autov2.allSatisfy({ hex.contains(Character($0.lowercased())) }),
                  autov2 == autov2.uppercased() else {
                throw autoNode.issue(.invalidValue("autov2 must be 10 upper-case hex digits"))
            }
            if let sha, String(sha.prefix(10)).uppercased() != autov2 {
                throw autoNode.issue(.invalidValue("autov2 \(autov2) does not match the first 10 hex digits of sha256 (\(String(sha.prefix(10)).uppercased()))"))
            }
        }
        let bytesNode = object.optional("bytes")
        let bytes = try bytesNode?.int()
        if let bytesNode, let bytes, bytes <= 0 { throw bytesNode.issue(.invalidValue("bytes must be positive")) }
        return KnownFile(name: try object.required("name").nonEmptyString(), bytes: bytes, sha256: sha, autov2: autov2,
                         source: try object.required("source").url(),
                         evidence: try object.required("evidence").oneOf(Evidence.self),
                         note: try object.optionalString("note"))
    }
}
