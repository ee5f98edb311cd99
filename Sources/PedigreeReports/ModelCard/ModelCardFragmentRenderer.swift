import PedigreeLineage

/// The Hugging Face model-card metadata the audit computed (`license`, `license_name`,
/// `license_link`, `base_model`, `base_model_relation`), as YAML. Keys with no value are
/// left out rather than written as null, so the fragment can be pasted into an existing
/// card without overriding anything the audit has no opinion on.
public struct ModelCardFragmentRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport) -> String { Self.yaml(report.modelCard) }

    /// The YAML document alone (what `<stem>.model-card.yaml` holds).
    public static func yaml(_ card: ModelCardFragment) -> String {
        var lines = ["# Hugging Face model-card metadata computed by pedigree from the audit findings."]
        if let license = card.license { lines.append("license: \(YAMLQuoting.quoted(license))") }
        if let name = card.licenseName { lines.append("license_name: \(YAMLQuoting.quoted(name))") }
        if let link = card.licenseLink { lines.append("license_link: \(YAMLQuoting.quoted(link))") }
        if !card.baseModel.isEmpty {
            lines.append("base_model:")
            lines.append(contentsOf: card.baseModel.map { "- \(YAMLQuoting.quoted($0))" })
        }
        if let relation = card.baseModelRelation { lines.append("base_model_relation: \(YAMLQuoting.quoted(relation))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same, between `---` lines: the front matter a model card starts with.
    public static func frontMatter(_ card: ModelCardFragment) -> String {
        "---\n" + yaml(card) + "---\n"
    }
}
