import PedigreeFormat
import PedigreeSupport

/// The human-readable form of `pedigree inspect`.
public enum InspectionText {
    public static func render(_ r: InspectionReport) -> String {
        var out: [String] = []
        // Everything below that came from the file (path, names, metadata) is escaped.
        let safe = TerminalEscaping.escape
        out.append(safe(r.path))
        out.append("  architecture  \(r.architectureName)")
        out.append("  size          \(HumanUnits.bytes(Double(r.fileSize))) (\(r.fileSize) bytes)")
        out.append("  tensors       \(r.tensors)")
        out.append("  parameters    \(ReportNumbers.count(r.parameters))")
        out.append("  dtypes        \(r.dtypes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))")
        out.append("")
        out.append("  component      tensors   parameters")
        for c in r.components {
            out.append("  " + c.name.padding(toLength: 13, withPad: " ", startingAt: 0)
                + String(c.tensors).leftPadded(9) + ReportNumbers.count(c.parameters).leftPadded(15))
        }
        if !r.missingKeys.isEmpty || !r.unknownKeys.isEmpty {
            out.append("")
            out.append("  missing keys  \(r.missingKeys.count)\(sample(r.missingKeys))")
            out.append("  unknown keys  \(r.unknownKeys.count)\(sample(r.unknownKeys))")
        }
        out.append("")
        out.append("  hashes")
        out.append("    sha256  \(r.hashes.sha256)")
        out.append("    AutoV1  \(r.hashes.autov1)")
        out.append("    AutoV2  \(r.hashes.autov2)")
        out.append("    AutoV3  \(r.hashes.autov3)")
        for check in r.embeddedHashChecks {
            out.append("    \(safe(check.key)): \(check.matches ? "matches" : "DISAGREES (claims \(safe(check.claimed)))")")
        }
        if r.identityChecked {
            out.append("  identity  " + (r.identity.map { "\(safe($0.modelName)) — \(safe($0.summary)), by its SHA-256" }
                                            ?? "none (no file the policies record has this SHA-256)"))
        }
        if !r.metadata.isEmpty {
            out.append("")
            out.append("  metadata")
            for (key, value) in r.metadata.sorted(by: { $0.key < $1.key }) {
                let shown = value.count > 100 ? String(value.prefix(97)) + "..." : value
                out.append("    \(safe(key)): \(safe(shown))")
            }
        }
        return out.joined(separator: "\n")
    }

    private static func sample(_ keys: [String]) -> String {
        keys.isEmpty ? "" : "  (" + keys.prefix(3).map(TerminalEscaping.escape).joined(separator: ", ") + (keys.count > 3 ? ", …" : "") + ")"
    }
}

private extension String {
    /// Right-aligns a figure in a column `width` characters wide.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
