import PedigreeYAML

/// Small readers for value shapes every policy and manifest schema shares.
extension YAMLNode {
    /// An http(s) URL; every fact in the policy set must point at where it was read.
    public func url() throws(YAMLIssue) -> String {
        let text = try nonEmptyString()
        guard text.hasPrefix("https://") || text.hasPrefix("http://"), !text.contains(" ") else {
            throw issue(.invalidValue("'\(text)' is not an http(s) URL"))
        }
        return text
    }

    /// A policy id: lower-case letters, digits, '.', '-' and '_' (stable in file names and URLs).
    public func identifier() throws(YAMLIssue) -> String {
        let text = try nonEmptyString()
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
        guard text.allSatisfy({ allowed.contains($0) }) else {
            throw issue(.invalidValue("'\(text)' is not a valid id (use lower-case letters, digits, '.', '-', '_', '+')"))
        }
        return text
    }
}

extension YAMLObject {
    /// Optional string that, when present, must not be empty.
    public func optionalString(_ key: String) throws(YAMLIssue) -> String? {
        try optional(key)?.nonEmptyString()
    }

    /// Optional list of strings; absent means empty.
    public func stringList(_ key: String) throws(YAMLIssue) -> [String] {
        try optional(key)?.strings() ?? []
    }

    /// Optional list of uncertainty records; absent means none.
    public func uncertainties(_ key: String = "uncertainty") throws(YAMLIssue) -> [Uncertainty] {
        var result: [Uncertainty] = []
        for item in try optional(key)?.sequence() ?? [] { result.append(try Uncertainty.read(from: item)) }
        return result
    }
}
