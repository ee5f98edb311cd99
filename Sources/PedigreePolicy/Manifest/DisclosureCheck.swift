import Foundation

/// Whether a disclosure in a release manifest is one: a placeholder (`TODO`, `TBD`, `N/A`,
/// an empty string…) is not, a URL must be well-formed, and a local path must exist beside
/// the manifest. Today's manifests are written by people in a hurry; "recipe: TODO" must not
/// meet NoobAI's "share work details" term.
public enum DisclosureCheck {
    static let placeholders: Set<String> = ["todo", "tbd", "tba", "n/a", "na", "none", "null", "nil", "-", "?", "...", "…",
                                            "xxx", "fixme", "later", "soon", "coming soon", "placeholder", "unknown"]

    /// nil when `value` discloses something; else why it does not.
    public static func problem(_ value: String, manifestDirectory: String?) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return "it is empty" }
        if placeholders.contains(trimmed.lowercased()) { return "'\(trimmed)' is a placeholder, not a disclosure" }
        if trimmed.contains("://") {
            guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = url.host, host.contains(".") || host == "localhost" else {
                return "'\(trimmed)' is not a well-formed http(s) URL"
            }
            return nil
        }
        // A local path: it must be there to be published with the release.
        let path = trimmed.hasPrefix("/") ? trimmed : ((manifestDirectory ?? ".") as NSString).appendingPathComponent(trimmed)
        guard FileManager.default.fileExists(atPath: path) else {
            return "'\(trimmed)' is neither a URL nor a file beside the manifest"
        }
        return nil
    }
}
