import PedigreeYAML

/// A licence (or a set of add-on terms) as the policy folder describes it.
public struct Licence: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var url: String
    /// Where the name and URL were read.
    public var source: String
    public var identifiers: LicenceIdentifiers
    /// The licence these terms add to (NoobAI's terms extend FAIPL-1.0-SD); its obligations
    /// apply as well.
    public var extends: String?
    public var commercialUse: CommercialUse
    public var derivatives: DerivativeLicensing
    public var obligations: [Obligation]
    public var uncertainty: [Uncertainty]
    public var notes: String?
    public var location: SourceLocation
    public var extendsLocation: SourceLocation?

    static let keys = ["id", "name", "url", "source", "identifiers", "extends", "commercial_use",
                       "derivatives", "obligations", "uncertainty", "notes"]

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> Licence {
        let object = try node.object(allowed: keys)
        var obligations: [Obligation] = []
        for item in try object.required("obligations").sequence() { obligations.append(try Obligation.read(from: item)) }
        let extendsNode = object.optional("extends")
        return Licence(
            id: try object.required("id").identifier(),
            name: try object.required("name").nonEmptyString(),
            url: try object.required("url").url(),
            source: try object.required("source").url(),
            identifiers: try LicenceIdentifiers.read(from: object.required("identifiers")),
            extends: try extendsNode?.identifier(),
            commercialUse: try CommercialUse.read(from: object.required("commercial_use")),
            derivatives: try DerivativeLicensing.read(from: object.required("derivatives")),
            obligations: obligations,
            uncertainty: try object.uncertainties(),
            notes: try object.optionalString("notes"),
            location: node.location,
            extendsLocation: extendsNode?.location)
    }
}

/// The names a licence goes by in the tools model makers and auditors use.
public struct LicenceIdentifiers: Codable, Equatable, Sendable {
    /// Hugging Face model-card front-matter values.
    public var huggingface: HuggingFaceLicence
    /// ScanCode LicenseDB key usable in SPDX documents (`LicenseRef-scancode-…`), if any.
    public var scancode: String?
    /// SPDX identifier; nil when the SPDX list has none, and then `spdxNote` says why.
    public var spdx: String?
    public var spdxNote: String?
    public var source: String

    static func read(from node: YAMLNode) throws(YAMLIssue) -> LicenceIdentifiers {
        let object = try node.object(allowed: ["huggingface", "scancode", "spdx", "spdx_note", "source"])
        // `spdx` must be written even when there is none: "null" is a checked statement.
        let spdxNode = try object.required("spdx")
        let spdx = spdxNode.isNull ? nil : try spdxNode.nonEmptyString()
        let note = try object.optionalString("spdx_note")
        if spdx == nil, note == nil {
            throw YAMLIssue(.missingField, at: node.location, field: "\(node.path).spdx_note")
        }
        let scancode = try object.optionalString("scancode")
        if let scancode, !scancode.hasPrefix("LicenseRef-") {
            throw object.node.issue(.invalidValue("scancode id '\(scancode)' must start with 'LicenseRef-'"))
        }
        return LicenceIdentifiers(
            huggingface: try HuggingFaceLicence.read(from: object.required("huggingface")),
            scancode: scancode, spdx: spdx, spdxNote: note,
            source: try object.required("source").url())
    }
}

/// How a Hugging Face card names the licence: `license:` is one of HF's ids, or `other`
/// plus `license_name` / `license_link`.
public struct HuggingFaceLicence: Codable, Equatable, Sendable {
    public var license: String
    public var licenseName: String?
    public var licenseLink: String?
    /// Other `license_name` / `license` spellings seen on cards for the same licence.
    public var alsoSeenAs: [String]

    static func read(from node: YAMLNode) throws(YAMLIssue) -> HuggingFaceLicence {
        let object = try node.object(allowed: ["license", "license_name", "license_link", "also_seen_as"])
        return HuggingFaceLicence(
            license: try object.required("license").nonEmptyString(),
            licenseName: try object.optionalString("license_name"),
            licenseLink: try object.optional("license_link")?.url(),
            alsoSeenAs: try object.stringList("also_seen_as"))
    }

    /// Every spelling a card might use for this licence.
    public var allNames: [String] {
        var names = [license]
        if let licenseName { names.append(licenseName) }
        return (names + alsoSeenAs).filter { $0 != "other" }
    }
}

/// Whether the licence lets you use the model (and, for NoobAI, its outputs) commercially.
public struct CommercialUse: Codable, Equatable, Sendable {
    public enum Status: String, Codable, CaseIterable, Sendable {
        case allowed
        /// Some commercial uses are banned (e.g. Pony: no monetised inference services).
        case restricted
        case forbidden
    }

    public var status: Status
    public var summary: String
    public var source: String

    static func read(from node: YAMLNode) throws(YAMLIssue) -> CommercialUse {
        let object = try node.object(allowed: ["status", "summary", "source"])
        return CommercialUse(status: try object.required("status").oneOf(Status.self),
                             summary: try object.required("summary").nonEmptyString(),
                             source: try object.required("source").url())
    }
}

/// Which licences a derivative (fine-tune, merge, LoRA) may be released under.
public struct DerivativeLicensing: Codable, Equatable, Sendable {
    public enum Rule: String, Codable, CaseIterable, Sendable {
        /// Only this licence (or one listed in `allowed`).
        case same
        /// This licence, or one that allows everything it allows (FAIPL Notices 3).
        case sameOrMorePermissive = "same-or-more-permissive"
        /// Any licence, as long as the use restrictions are carried as enforceable terms (RAIL 4a).
        case keepUseRestrictions = "keep-use-restrictions"
        /// No constraint on the derivative's licence.
        case any
    }

    public var rule: Rule
    /// Licence ids known to satisfy the rule besides the licence itself.
    public var allowed: [String]
    public var allowedLocations: [SourceLocation]
    public var summary: String
    public var source: String

    static func read(from node: YAMLNode) throws(YAMLIssue) -> DerivativeLicensing {
        let object = try node.object(allowed: ["rule", "allowed", "summary", "source"])
        var allowed: [String] = []
        var locations: [SourceLocation] = []
        for item in try object.optional("allowed")?.sequence() ?? [] {
            allowed.append(try item.identifier())
            locations.append(item.location)
        }
        return DerivativeLicensing(
            rule: try object.required("rule").oneOf(Rule.self), allowed: allowed, allowedLocations: locations,
            summary: try object.required("summary").nonEmptyString(), source: try object.required("source").url())
    }
}
