import PedigreeSupport

/// What `pedigree stamp` prints once the copy is written: where, from which file, the
/// unchanged tensor-data hash and the metadata keys the stamp set. Policies, manifests and
/// metadata are other people's text, so every line is escaped for the terminal.
public enum StampSummaryText {
    public static func render(output: String, link: AuditLink, dataSHA256: String, metadata: [String: String], audit: AuditDocument) -> String {
        var lines = ["stamped \(output) (\(link == .auditedFile ? "from the audited file" : "from a stamped copy of the audited file"))",
                     "  tensor data SHA-256 (AutoV3, unchanged): \(dataSHA256)"]
        for key in [StampMetadata.licenceKey, StampMetadata.mergedFromKey, StampMetadata.hashKey] {
            if let value = metadata[key] { lines.append("  \(key): \(key == StampMetadata.hashKey ? StampMetadata.hashValue(autov3: dataSHA256) : value)") }
        }
        lines.append("  \(StampMetadata.auditKey): \(StampMetadata.summary(audit))")
        return lines.map(TerminalEscaping.escape).joined(separator: "\n")
    }
}
