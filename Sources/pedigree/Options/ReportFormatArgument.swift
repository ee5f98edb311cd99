import ArgumentParser
import PedigreeReports

/// `--format` of every subcommand. Each subcommand declares which formats it supports;
/// asking for another is a usage error (exit 64).
extension ReportFormat: ExpressibleByArgument {
    /// Each subcommand's own help lists the formats it takes; ArgumentParser would otherwise
    /// append all of them to every `--format`.
    public static var allValueStrings: [String] { [] }

    static func check(_ format: ReportFormat, allowed: [ReportFormat]) throws {
        guard allowed.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use one of: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
