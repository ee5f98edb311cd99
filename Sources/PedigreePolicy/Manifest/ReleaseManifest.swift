import PedigreeYAML

/// What a model maker declares about a release, so the audit can check each inherited
/// obligation against a named field (see `ManifestField`).
public struct ReleaseManifest: Codable, Equatable, Sendable {
    public var name: String
    public var version: String
    /// The checkpoint being released (as written; relative paths are the caller's business).
    public var file: String
    public var fileLocation: SourceLocation
    /// The checkpoint's SHA-256 (lower-case hex), when the manifest pins it.
    public var sha256: String?
    public var sha256Location: SourceLocation?
    /// The components the release consists of (a UNet-only release says `[unet]`); nil:
    /// the whole model (UNet and both text encoders).
    public var scope: [String]?
    /// Policy model ids the release says it is built from.
    public var bases: [String]
    public var licence: ChosenLicence
    /// Whether the release or its outputs are meant to be used commercially.
    public var commercialUse: Bool
    /// The weights are downloadable by anyone (an open-source derivative).
    public var weightsPublished: Bool
    public var licenceCopyIncluded: Bool
    public var useRestrictionsPassedOn: Bool
    /// Modified files carry a notice that they were changed (RAIL 4c).
    public var changesStated: Bool?
    /// Copyright and attribution notices of the bases are kept (RAIL 4d).
    public var noticesRetained: Bool?
    public var disclosures: Disclosures
    public var location: SourceLocation
    /// The folder the manifest was read from: local-path disclosures are looked up there.
    public var directory: String?

    /// The licence the release is published under, resolved to a policy licence id.
    public struct ChosenLicence: Codable, Equatable, Sendable {
        public var id: String
        /// The Hugging Face fields as written, when the manifest used them.
        public var huggingface: HuggingFaceLicence?
        public var location: SourceLocation
    }

    /// Links (URLs) or paths to what the release discloses; nil means not disclosed.
    public struct Disclosures: Codable, Equatable, Sendable {
        public var recipe: String?
        public var prompts: String?
        public var workflows: String?
        public var trainingData: String?
        public var loras: [String]

        /// The disclosure the manifest field names, if given.
        public func value(for field: ManifestField) -> String? {
            switch field {
            case .recipe: recipe
            case .prompts: prompts
            case .workflows: workflows
            case .trainingData: trainingData
            case .loras: loras.isEmpty ? nil : loras.joined(separator: ", ")
            default: nil
            }
        }
    }

    /// The value of a boolean manifest field, nil for other kinds or when not stated.
    public func flag(_ field: ManifestField) -> Bool? {
        switch field {
        case .commercialUse: commercialUse
        case .weightsPublished: weightsPublished
        case .licenceCopyIncluded: licenceCopyIncluded
        case .useRestrictionsPassedOn: useRestrictionsPassedOn
        case .changesStated: changesStated
        case .noticesRetained: noticesRetained
        default: nil
        }
    }
}
