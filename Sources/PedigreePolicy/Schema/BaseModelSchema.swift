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
    /// How many independent sources back a recorded hash.
    public enum Strength: String, Codable, CaseIterable, Sendable {
        /// Two or more independent sources agree.
        case corroborated
        /// One source only.
        case singleSource = "single-source"
        /// A value that need not be the published file's (e.g. read from a merge's metadata).
        case weak
    }

    /// Where a file is listed on Civitai.
    public struct CivitaiIds: Codable, Equatable, Sendable {
        public var model: Int
        public var version: Int?
        public var file: Int?
    }

    public var name: String
    public var bytes: Int?
    /// Lower-case hex SHA-256 of the whole file.
    public var sha256: String?
    /// Civitai's AutoV2: the first 10 hex digits of the SHA-256, upper-case.
    public var autov2: String?
    /// Where the hash (or, without one, the file) was read.
    public var source: String
    public var evidence: Evidence
    /// How many independent sources back the hash.
    public var strength: Strength?
    /// Further sources that agree with `source`.
    public var corroboratedBy: [String]
    /// The publisher's Hugging Face revision (40 hex digits) the value is pinned to.
    public var revision: String?
    public var civitai: CivitaiIds?
    /// Other SHA-256 values recorded for the same published file that disagree with this one
    /// (each must be another `files` entry of the same model): kept side by side, marked.
    public var conflictsWith: [String]
    public var note: String?
    public var location: SourceLocation?

    public init(name: String, bytes: Int? = nil, sha256: String? = nil, autov2: String? = nil, source: String, evidence: Evidence,
                strength: Strength? = nil, corroboratedBy: [String] = [], revision: String? = nil, civitai: CivitaiIds? = nil,
                conflictsWith: [String] = [], note: String? = nil, location: SourceLocation? = nil) {
        self.name = name; self.bytes = bytes; self.sha256 = sha256; self.autov2 = autov2; self.source = source
        self.evidence = evidence; self.strength = strength; self.corroboratedBy = corroboratedBy; self.revision = revision
        self.civitai = civitai; self.conflictsWith = conflictsWith; self.note = note; self.location = location
    }

    static let keys = ["name", "bytes", "sha256", "autov2", "source", "evidence", "strength", "corroborated_by", "revision",
                       "civitai", "conflicts_with", "note"]
    static let hex = Set("0123456789abcdef")

    /// 64 lower-case hex digits.
    static func isSHA256(_ text: String) -> Bool { text.count == 64 && text.allSatisfy { hex.contains($0) } }

    static func read(from node: YAMLNode) throws(YAMLIssue) -> KnownFile {
        let object = try node.object(allowed: keys)
        let hex = Self.hex
        let shaNode = object.optional("sha256")
        let sha = try shaNode?.nonEmptyString()
        if let shaNode, let sha, !isSHA256(sha) {
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
        let strengthNode = object.optional("strength")
        let strength = try strengthNode?.oneOf(Strength.self)
        if let strengthNode, strength != nil, sha == nil, autov2 == nil {
            throw strengthNode.issue(.invalidValue("strength grades a recorded hash; this file records none"))
        }
        var corroboratedBy: [String] = []
        for item in try object.optional("corroborated_by")?.sequence() ?? [] { corroboratedBy.append(try item.url()) }
        let revisionNode = object.optional("revision")
        let revision = try revisionNode?.nonEmptyString()
        if let revisionNode, let revision, revision.count != 40 || !revision.allSatisfy({ hex.contains($0) }) {
            throw revisionNode.issue(.invalidValue("revision must be a 40-digit lower-case hex commit id"))
        }
        var civitai: CivitaiIds?
        if let civitaiNode = object.optional("civitai") {
            let ids = try civitaiNode.object(allowed: ["model", "version", "file"])
            func id(_ key: String) throws(YAMLIssue) -> Int? {
                guard let idNode = ids.optional(key) else { return nil }
                let value = try idNode.int()
                if value <= 0 { throw idNode.issue(.invalidValue("civitai.\(key) must be a positive id")) }
                return value
            }
            _ = try ids.required("model")
            civitai = CivitaiIds(model: try id("model") ?? 0, version: try id("version"), file: try id("file"))
        }
        var conflicts: [String] = []
        let conflictsNode = object.optional("conflicts_with")
        for item in try conflictsNode?.sequence() ?? [] {
            let other = try item.nonEmptyString()
            guard isSHA256(other) else { throw item.issue(.invalidValue("conflicts_with names SHA-256 values: 64 lower-case hex digits")) }
            if other == sha { throw item.issue(.invalidValue("a value cannot conflict with itself")) }
            conflicts.append(other)
        }
        if let conflictsNode, !conflicts.isEmpty, sha == nil {
            throw conflictsNode.issue(.invalidValue("conflicts_with marks a recorded sha256; this file records none"))
        }
        return KnownFile(name: try object.required("name").nonEmptyString(), bytes: bytes, sha256: sha, autov2: autov2,
                         source: try object.required("source").url(),
                         evidence: try object.required("evidence").oneOf(Evidence.self),
                         strength: strength, corroboratedBy: corroboratedBy, revision: revision, civitai: civitai,
                         conflictsWith: conflicts, note: try object.optionalString("note"),
                         location: (shaNode ?? node).location)
    }
}
