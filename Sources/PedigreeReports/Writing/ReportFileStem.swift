import PedigreeLineage

/// The file-name stem reports are written under: the release name (with its version) when
/// a manifest named one, otherwise the candidate's file name without extension, reduced to
/// `[A-Za-z0-9._-]` so it is safe on every file system and in a URL.
public enum ReportFileStem {
    public static func stem(for report: AuditReport) -> String {
        let raw: String
        if let release = report.release, !release.name.isEmpty {
            raw = release.version.map { "\(release.name)-\($0)" } ?? release.name
        } else {
            raw = withoutExtension(ReportVocabulary.fileName(report.candidate.path))
        }
        return sanitized(raw)
    }

    /// Runs of other characters become one `_`; leading dots and underscores are dropped so the result is
    /// never hidden or `..`; an empty result becomes `audit`.
    public static func sanitized(_ raw: String) -> String {
        var out = ""
        var lastWasReplacement = false
        for scalar in raw.unicodeScalars {
            let allowed = scalar.isASCII && (("A" ... "Z").contains(scalar) || ("a" ... "z").contains(scalar) || ("0" ... "9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
            if allowed {
                out.unicodeScalars.append(scalar)
                lastWasReplacement = false
            } else if !lastWasReplacement {
                out += "_"
                lastWasReplacement = true
            }
        }
        while out.hasPrefix(".") || out.hasPrefix("_") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        if out.count > 120 { out = String(out.prefix(120)) }
        return out.isEmpty ? "audit" : out
    }

    private static func withoutExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
