import PedigreeYAML

/// How much of a model an audit must compare for its verdict to count (the `coverage:`
/// section of classification.yaml). The default is the shipped file's value, used only when
/// a policy folder has no classification.yaml.
public struct CoverageSettings: Codable, Equatable, Sendable {
    /// Each component in the release's scope (UNet, CLIP-L, OpenCLIP-G unless the manifest
    /// narrows it) must have at least this share of its parameters compared.
    public var minimumParameterFraction: Double

    public init(minimumParameterFraction: Double) {
        self.minimumParameterFraction = minimumParameterFraction
    }

    public static let `default` = CoverageSettings(minimumParameterFraction: 0.99)

    static let keys = ["minimum_parameter_fraction"]

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> CoverageSettings {
        let object = try node.object(allowed: keys)
        let valueNode = try object.required("minimum_parameter_fraction")
        let value = try valueNode.double()
        guard value > 0, value <= 1 else { throw valueNode.issue(.invalidValue("minimum_parameter_fraction must be in (0, 1]")) }
        return CoverageSettings(minimumParameterFraction: value)
    }
}
