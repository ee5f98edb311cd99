/// The front-matter keys `pedigree card` owns, computed from an audit, in the order they
/// are added to a card that lacks them. A key the audit has no value for is left alone.
struct CardValues {
    enum Value: Equatable {
        case scalar(String)
        case list([String])
    }

    /// Tags Pedigree adds start with this; stale ones from an earlier audit are replaced.
    static let tagPrefix = "pedigree-"
    static let ownedOrder = ["license", "license_name", "license_link", "base_model", "base_model_relation", "tags"]

    /// Key → new value; keys mapped to nil are removed from the card.
    var values: [String: Value?] = [:]

    init(audit: AuditDocument, existingTags: [String]) {
        let card = audit.modelCard
        if let license = card.license {
            values["license"] = .scalar(license)
            if license == "other" {
                if let name = card.licenseName { values["license_name"] = .scalar(name) }
                if let link = card.licenseLink { values["license_link"] = .scalar(link) }
            } else {
                // `license_name`/`license_link` only mean something beside `license: other`; a
                // stale pair from an earlier licence would contradict the new one, so it goes.
                values["license_name"] = .some(card.licenseName.map { .scalar($0) })
                values["license_link"] = .some(card.licenseLink.map { .scalar($0) })
            }
        }
        if let bases = card.baseModel, !bases.isEmpty { values["base_model"] = .list(bases) }
        if let relation = card.baseModelRelation { values["base_model_relation"] = .scalar(relation) }
        // Pedigree's tags go last, in a fixed order, so a second run reproduces the list.
        var ours = [Self.tagPrefix + "audited", Self.tagPrefix + audit.verdict.rawValue]
        if audit.lineage.relation == .merge { ours.append("merge") }
        var tags = existingTags.filter { !$0.hasPrefix(Self.tagPrefix) && !ours.contains($0) }
        for tag in ours where !tags.contains(tag) { tags.append(tag) }
        values["tags"] = .list(tags)
    }

    /// `key: value` lines in block style, every string double-quoted (see `YAMLQuoting`).
    static func render(key: String, _ value: Value, newline: String) -> String {
        switch value {
        case .scalar(let text): return "\(key): \(YAMLQuoting.quoted(text))\(newline)"
        case .list(let items):
            if items.isEmpty { return "\(key): []\(newline)" }
            return "\(key):\(newline)" + items.map { "- \(YAMLQuoting.quoted($0))\(newline)" }.joined()
        }
    }
}
