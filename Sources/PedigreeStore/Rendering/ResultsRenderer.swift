import Foundation
import PedigreeReports
import PedigreeSupport

/// `pedigree results` as text, JSON (each audit's JSON embedded whole) or CSV.
public enum ResultsRenderer {
    /// The formats a list of results comes in.
    public static let formats: [ReportFormat] = [.text, .json, .csv]

    public static func render(_ results: [StoredResult], format: ReportFormat) -> String {
        switch format {
        case .json: json(results)
        case .csv: csv(results)
        // A list of results has no document shape; a caller that offers only `formats`
        // never asks for one, and text is what a person would want if it did.
        case .text, .md, .html, .cyclonedx: text(results)
        }
    }

    static func text(_ results: [StoredResult]) -> String {
        guard !results.isEmpty else { return "no results\n" }
        var lines = results.map { r in
            let base = r.likelyBase ?? "unknown"
            return "\(r.verdict.rawValue.uppercased())  \(TerminalEscaping.escape(r.candidatePath))  base \(TerminalEscaping.escape(base))  inherits \(TerminalEscaping.escape(r.inherited.joined(separator: ", ")))  sha256 \(r.key.candidateSHA256.prefix(12))"
        }
        lines.append("\(results.count) result\(results.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    static let csvHeader = ["candidate_path", "candidate_sha256", "verdict", "likely_base", "inherits_from", "policy_digest",
                            "reference_set", "tool_version", "compare_seconds", "total_seconds", "audited_at"]

    static func csv(_ results: [StoredResult]) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for r in results {
            let fields = [r.candidatePath, r.key.candidateSHA256, r.verdict.rawValue, r.likelyBase ?? "", r.inherited.joined(separator: ";"),
                          r.key.policyDigest, r.key.referenceSet, r.key.toolVersion, String(format: "%.3f", r.compareSeconds),
                          String(format: "%.3f", r.totalSeconds), isoDate(r.auditedAt)]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a field a spreadsheet would run as a formula (`= + - @`) gets a
    /// leading apostrophe, since paths are chosen by whoever uploaded the file.
    static func csvField(_ raw: String) -> String {
        var value = raw
        // By scalar, not Character: "\r\n" is one Character, so a Character test misses a lone
        // "\n" or "\r" (a spreadsheet still breaks the row there).
        if let first = value.unicodeScalars.first, "=+-@\t\r\n".unicodeScalars.contains(first) { value = "'" + value }
        guard value.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func json(_ results: [StoredResult]) -> String {
        let items: [[String: Any]] = results.map { r in
            [
                "candidate_path": r.candidatePath, "candidate_sha256": r.key.candidateSHA256, "verdict": r.verdict.rawValue,
                "likely_base": r.likelyBase as Any? ?? NSNull(), "inherits_from": r.inherited, "policy_digest": r.key.policyDigest,
                "reference_set": r.key.referenceSet, "tool_version": r.key.toolVersion, "compare_seconds": r.compareSeconds,
                "total_seconds": r.totalSeconds, "audited_at": isoDate(r.auditedAt),
                // The audit as it was written, whatever its shape at the time.
                "audit": (try? JSONSerialization.jsonObject(with: r.auditJSON)) ?? NSNull(),
            ]
        }
        let document: [String: Any] = ["schema": "pedigree.results/1", "count": results.count, "results": items]
        guard let data = try? PedigreeJSON.data(withJSONObject: document) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func isoDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
