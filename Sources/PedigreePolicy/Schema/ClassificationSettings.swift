import PedigreeYAML

/// How a similarity score is read: which metric, which bands, and how close to a band edge
/// a score must be to count as borderline.
///
/// The defaults are the seed article's reading (≥0.98 too close, 0.95–0.97 fair, 0.90–0.94
/// large difference) with its gaps closed, so every score lands in exactly one band.
public struct ClassificationSettings: Codable, Equatable, Sendable {
    public enum Metric: String, Codable, CaseIterable, Sendable {
        case meanCosine = "mean_cosine"
    }

    public struct Band: Codable, Equatable, Sendable {
        public var id: String
        public var label: String
        /// Scores at or above this (and below the previous band's bound) fall in this band.
        public var lowerBound: Double
        public var meaning: String?
    }

    public var metric: Metric
    /// Scores within this distance of a band boundary are reported as borderline.
    public var borderlineMargin: Double
    /// From closest (highest lower bound) to most distant.
    public var bands: [Band]
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
            Band(id: "too-close", label: "too close", lowerBound: 0.98, meaning: nil),
            Band(id: "fair", label: "fair difference", lowerBound: 0.95, meaning: nil),
            Band(id: "large-difference", label: "large difference", lowerBound: 0.90, meaning: nil),
            Band(id: "distant", label: "distant", lowerBound: -1.0, meaning: nil),
        ],
        attribution: .default, deltaRule: .default, source: nil, location: nil)

    /// The band a score falls in, and whether it is within the margin of a boundary.
    public func classify(_ score: Double) -> (band: Band, borderline: Bool)? {
        guard let band = bands.first(where: { score >= $0.lowerBound }) ?? bands.last else { return nil }
        let boundaries = bands.map(\.lowerBound).filter { $0 > -1.0 }
        let borderline = boundaries.contains { abs(score - $0) < borderlineMargin }
        return (band, borderline)
    }

    static let keys = ["metric", "borderline_margin", "bands", "attribution", "delta_rule", "coverage", "default_references", "source"]

    /// Reads the settings; band order is checked by the caller so it can report PO011.
    public static func read(from node: YAMLNode) throws(YAMLIssue) -> (ClassificationSettings, [YAMLNode]) {
        let object = try node.object(allowed: keys)
        let marginNode = try object.required("borderline_margin")
        let margin = try marginNode.double()
        guard margin >= 0, margin < 0.5 else { throw marginNode.issue(.invalidValue("borderline_margin must be in [0, 0.5)")) }
        var bands: [Band] = []
        var boundNodes: [YAMLNode] = []
        let bandsNode = try object.required("bands")
        for item in try bandsNode.sequence() {
            let band = try item.object(allowed: ["id", "label", "lower_bound", "meaning"])
            let boundNode = try band.required("lower_bound")
            let bound = try boundNode.double()
            guard bound >= -1, bound <= 1 else { throw boundNode.issue(.invalidValue("lower_bound must be within [-1, 1]")) }
            bands.append(Band(id: try band.required("id").identifier(), label: try band.required("label").nonEmptyString(),
                              lowerBound: bound, meaning: try band.optionalString("meaning")))
            boundNodes.append(boundNode)
        }
        if bands.count < 2 { throw bandsNode.issue(.invalidValue("define at least two bands")) }
        let settings = ClassificationSettings(
            metric: try object.required("metric").oneOf(Metric.self), borderlineMargin: margin, bands: bands,
            attribution: try object.optional("attribution").map { node throws(YAMLIssue) in try AttributionSettings.read(from: node) } ?? .default,
            deltaRule: try object.optional("delta_rule").map { node throws(YAMLIssue) in try DeltaRuleSettings.read(from: node) } ?? .default,
            source: try object.optional("source")?.url(), location: node.location)
        var withCoverage = settings
        withCoverage.coverage = try object.optional("coverage").map { node throws(YAMLIssue) in try CoverageSettings.read(from: node) } ?? .default
        return (withCoverage, boundNodes)
    }
}
