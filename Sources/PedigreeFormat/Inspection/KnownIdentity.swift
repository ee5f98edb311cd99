/// Which known model a file is: a model and file the policies record under the file's own
/// SHA-256. Filled in by the caller that holds a policy set (`FileIdentifier` in
/// PedigreeLineage); this module only carries it, so `inspect`'s report can show it.
public struct KnownIdentity: Sendable, Codable, Equatable {
    /// Civitai ids of the listing, as the policies record them.
    public struct Civitai: Sendable, Codable, Equatable {
        public var model: Int
        public var version: Int?
        public var file: Int?
        public init(model: Int, version: Int?, file: Int?) { self.model = model; self.version = version; self.file = file }
    }

    /// The policy model id.
    public var model: String
    public var modelName: String
    /// The published file name the hash is recorded for.
    public var file: String
    /// Other names the same bytes are recorded under.
    public var otherNames: [String]
    /// `primary` / `secondary` / `derived`: how the recorded hash was established.
    public var evidence: String
    /// `corroborated` / `single-source` / `weak`; nil when the policy does not grade it.
    public var strength: String?
    /// Where the recorded hash was read.
    public var source: String
    /// The publisher's Hugging Face revision the recorded hash is pinned to.
    public var revision: String?
    public var civitai: Civitai?
    /// Other SHA-256 values recorded for the same file that disagree with this one.
    public var conflictsWith: [String]

    public init(model: String, modelName: String, file: String, otherNames: [String], evidence: String, strength: String?,
                source: String, revision: String?, civitai: Civitai?, conflictsWith: [String]) {
        self.model = model; self.modelName = modelName; self.file = file; self.otherNames = otherNames
        self.evidence = evidence; self.strength = strength; self.source = source; self.revision = revision
        self.civitai = civitai; self.conflictsWith = conflictsWith
    }

    /// "sdxl-base-1.0 (sd_xl_base_1.0.safetensors; secondary, corroborated)": the one-line form.
    public var summary: String {
        var grade = [evidence]
        if let strength { grade.append(strength) }
        if !conflictsWith.isEmpty { grade.append("conflicting values recorded") }
        return "\(model) (\(file); \(grade.joined(separator: ", ")))"
    }
}
