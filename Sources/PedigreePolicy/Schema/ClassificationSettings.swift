import PedigreeYAML

/// How a similarity score is read: which metric, which bands, and how close to a band edge
/// a score must be to count as borderline.
///
/// The defaults are the seed article's reading (README, "Method": ≥0.98 too close, 0.95–0.97 fair, 0.90–0.94
/// large difference) with its gaps closed, so every score lands in exactly one band.
public struct ClassificationSettings: Codable, Equatable, Sendable {
    public enum Metric: String, Codable, CaseIterable, Sendable {
        case meanCosine = "mean_cosine"
    }

    /// Where one of Pedigree's four bands starts, in the policy's words.
    public struct BandDefinition: Codable, Equatable, Sendable {
        public var band: Band
        public var label: String
        /// Scores at or above this (and below the previous band's bound) fall in this band.
        public var lowerBound: Double
        public var meaning: String?

        public init(band: Band, label: String, lowerBound: Double, meaning: String?) {
            self.band = band
            self.label = label
            self.lowerBound = lowerBound
            self.meaning = meaning
        }

        /// The id as `classification.yaml` writes it.
        public var id: String { band.policyId }

        enum CodingKeys: String, CodingKey { case id, label, lowerBound, meaning }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let id = try c.decode(String.self, forKey: .id)
            guard let band = Band(policyId: id) else {
                throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "'\(id)' is not a band Pedigree reads")
            }
            self.init(band: band, label: try c.decode(String.self, forKey: .label), lowerBound: try c.decode(Double.self, forKey: .lowerBound),
                      meaning: try c.decodeIfPresent(String.self, forKey: .meaning))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(label, forKey: .label)
            try c.encode(lowerBound, forKey: .lowerBound)
            try c.encodeIfPresent(meaning, forKey: .meaning)
        }
    }

    public var metric: Metric
    /// Scores within this distance of a band boundary are reported as borderline.
    public var borderlineMargin: Double
    /// From closest (highest lower bound) to most distant.
    public var bands: [BandDefinition]
    /// How attribution shares become a verdict.
    public var attribution: AttributionSettings
    /// How older compare results' per-edge delta figures are read.
    public var deltaRule: DeltaRuleSettings
    /// How much of the model must be compared.
    public var coverage: CoverageSettings = .default
    public var source: String?
    public var location: SourceLocation?

    public static let `default` = ClassificationSettings(
        metric: .meanCosine, borderlineMargin: 0.005,
        bands: [
            BandDefinition(band: .tooClose, label: "too close", lowerBound: 0.98, meaning: nil),
            BandDefinition(band: .fair, label: "fair difference", lowerBound: 0.95, meaning: nil),
            BandDefinition(band: .largeDifference, label: "large difference", lowerBound: 0.90, meaning: nil),
            BandDefinition(band: .distant, label: "distant", lowerBound: -1.0, meaning: nil),
        ],
        attribution: .default, deltaRule: .default, source: nil, location: nil)

    /// Where `band` starts. Every loaded policy defines all four (`read` refuses anything
    /// else); a band missing from settings built in memory is never reached.
    public func lowerBound(of band: Band) -> Double {
        bands.first { $0.band == band }?.lowerBound ?? (band == .distant ? -Double.infinity : Double.infinity)
    }

    static let keys = ["metric", "borderline_margin", "bands", "attribution", "delta_rule", "coverage", "default_references", "source", "source_hosts"]

    /// Reads the settings; band order is checked by the caller so it can report PO011.
    public static func read(from node: YAMLNode) throws(YAMLIssue) -> (ClassificationSettings, [YAMLNode]) {
        let object = try node.object(allowed: keys)
        let marginNode = try object.required("borderline_margin")
        let margin = try marginNode.double()
        guard margin >= 0, margin < 0.5 else { throw marginNode.issue(.invalidValue("borderline_margin must be in [0, 0.5)")) }
        var bands: [BandDefinition] = []
        var boundNodes: [YAMLNode] = []
        let bandsNode = try object.required("bands")
        for item in try bandsNode.sequence() {
            let band = try item.object(allowed: ["id", "label", "lower_bound", "meaning"])
            let idNode = try band.required("id")
            let kind = try bandId(idNode)
            if bands.contains(where: { $0.band == kind }) { throw idNode.issue(.invalidValue("band '\(kind.policyId)' is defined twice")) }
            let boundNode = try band.required("lower_bound")
            let bound = try boundNode.double()
            guard bound >= -1, bound <= 1 else { throw boundNode.issue(.invalidValue("lower_bound must be within [-1, 1]")) }
            bands.append(BandDefinition(band: kind, label: try band.required("label").nonEmptyString(),
                                        lowerBound: bound, meaning: try band.optionalString("meaning")))
            boundNodes.append(boundNode)
        }
        let missing = Band.closestFirst.filter { band in !bands.contains { $0.band == band } }
        if !missing.isEmpty {
            throw bandsNode.issue(.invalidValue("define each of Pedigree's four bands once (\(Band.closestFirst.map(\.policyId).joined(separator: ", "))); missing: \(missing.map(\.policyId).joined(separator: ", "))"))
        }
        let settings = ClassificationSettings(
            metric: try object.required("metric").oneOf(Metric.self), borderlineMargin: margin, bands: bands,
            attribution: try object.optional("attribution").map { node throws(YAMLIssue) in try AttributionSettings.read(from: node) } ?? .default,
            deltaRule: try object.optional("delta_rule").map { node throws(YAMLIssue) in try DeltaRuleSettings.read(from: node) } ?? .default,
            source: try object.optional("source")?.url(), location: node.location)
        var withCoverage = settings
        withCoverage.coverage = try object.optional("coverage").map { node throws(YAMLIssue) in try CoverageSettings.read(from: node) } ?? .default
        return (withCoverage, boundNodes)
    }

    /// A band id, which must name one of Pedigree's bands: the classifier's rules are
    /// written against them, so a band under another name would be silently unused.
    static func bandId(_ node: YAMLNode) throws(YAMLIssue) -> Band {
        let text = try node.identifier()
        if let band = Band(policyId: text) { return band }
        let allowed = Band.closestFirst.map(\.policyId)
        var reason = "band id '\(text)' is not one Pedigree reads (\(allowed.joined(separator: ", ")))"
        if let guess = DidYouMean.suggestion(for: text, among: allowed) { reason += "; did you mean '\(guess)'?" }
        throw node.issue(.invalidValue(reason))
    }
}
