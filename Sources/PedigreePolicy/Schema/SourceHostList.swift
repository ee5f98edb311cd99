import PedigreeYAML

/// The hosts a policy source may cite: classification.yaml's `source_hosts:` (the
/// publishers' own sites — huggingface.co, github.com, civitai.com, the licensors'), so a
/// citation through a third-party mirror or proxy of a page is caught by `policy lint`
/// (PO020, a warning). A host also admits its subdomains. An editor adds their own.
///
/// Kept apart from `ClassificationSettings` (which reads the same file): it governs how the
/// set is edited, not how similarities are read.
public struct SourceHostList: Sendable, Equatable {
    public var hosts: [String]

    public static let none = SourceHostList(hosts: [])
    static let key = "source_hosts"

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> SourceHostList {
        let object = try node.object(allowed: ClassificationSettings.keys)
        guard let list = object.optional(key) else { return .none }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        var result = SourceHostList.none
        for item in try list.sequence() {
            let host = try item.nonEmptyString()
            guard host.allSatisfy({ allowed.contains($0) }), host.contains("."), !host.hasPrefix("."), !host.hasSuffix(".") else {
                throw item.issue(.invalidValue("'\(host)' is not a host name (lower-case, like huggingface.co; no scheme or path)"))
            }
            if result.hosts.contains(host) { throw item.issue(.invalidValue("'\(host)' is named twice")) }
            result.hosts.append(host)
        }
        if result.hosts.isEmpty { throw list.issue(.invalidValue("name at least one host, or leave source_hosts out")) }
        return result
    }

    /// Whether `host` is a listed host or a subdomain of one.
    public func admits(_ host: String) -> Bool {
        let host = host.lowercased()
        return hosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
