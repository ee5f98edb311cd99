import ArgumentParser

/// The report formats a subcommand can print. Each subcommand declares which it supports;
/// asking for another is a usage error (exit 64).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, md, json, html
    /// A CycloneDX 1.6 ML-BOM of the audit (`audit` and `classify` only).
    case cyclonedx

    /// Each subcommand's own help lists the formats it takes; ArgumentParser would otherwise
    /// append all four to every `--format`.
    static var allValueStrings: [String] { [] }

    static func check(_ format: OutputFormat, allowed: [OutputFormat]) throws {
        guard allowed.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use one of: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
