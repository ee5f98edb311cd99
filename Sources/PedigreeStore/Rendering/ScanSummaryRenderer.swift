import Foundation
import PedigreeLineage
import PedigreeSupport

/// `scan`'s summary: files grouped by verdict, then by the base they were found to inherit
/// from, then the models whose licences reach them, and every file that could not be audited.
public enum ScanSummaryRenderer {
    public static func text(_ summary: ScanSummary) -> String {
        var lines: [String] = []
        lines.append(String(format: "scanned %d file%@ in %.1f s (%d job%@): %d audited, %d already in the store, %d not audited",
                            summary.entries.count, summary.entries.count == 1 ? "" : "s", summary.seconds,
                            summary.jobs, summary.jobs == 1 ? "" : "s",
                            summary.audited, summary.alreadyStored, summary.failed))
        lines.append("store: \(TerminalEscaping.escape(summary.store))")
        for verdict in [Verdict.fail, .pass] {
            let group = summary.entries.filter { $0.outcome.result?.verdict == verdict }
            guard !group.isEmpty else { continue }
            lines.append("")
            lines.append("\(verdict.rawValue.uppercased())  \(group.count)")
            let byBase = Dictionary(grouping: group) { $0.outcome.result?.likelyBase ?? "lineage unknown" }
            for base in byBase.keys.sorted() {
                let files = byBase[base] ?? []
                lines.append("  base \(TerminalEscaping.escape(base))  \(files.count)")
                for entry in files { lines.append("    \(TerminalEscaping.escape(entry.path))") }
            }
        }
        let inherited = inheritedCounts(summary)
        if !inherited.isEmpty {
            lines.append("")
            lines.append("inherits from: " + inherited.map { "\(TerminalEscaping.escape($0.id)) \($0.count)" }.joined(separator: ", "))
        }
        let failures = summary.entries.compactMap { entry -> String? in
            guard case let .failed(code, message) = entry.outcome else { return nil }
            return "  \(TerminalEscaping.escape(entry.path)): \(TerminalEscaping.escape(message)) [\(code)]"
        }
        if !failures.isEmpty {
            lines.append("")
            lines.append("not audited  \(failures.count)")
            lines += failures
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Models whose licence reaches at least one audited file, most files first.
    static func inheritedCounts(_ summary: ScanSummary) -> [(id: String, count: Int)] {
        var counts: [String: Int] = [:]
        for entry in summary.entries { for id in entry.outcome.result?.inherited ?? [] { counts[id, default: 0] += 1 } }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.id < $1.id }
    }

    struct Document: Encodable {
        struct Entry: Encodable {
            let path: String
            let status: String
            let verdict: String?
            let likelyBase: String?
            let inheritsFrom: [String]?
            let sha256: String?
            let seconds: Double?
            let errorCode: String?
            let error: String?
        }
        let schema = "pedigree.scan/1"
        let store: String
        let files: Int
        let audited: Int
        let alreadyStored: Int
        let notAudited: Int
        let seconds: Double
        let jobs: Int
        let byVerdict: [String: Int]
        let byLikelyBase: [String: Int]
        let byInherited: [String: Int]
        let entries: [Entry]
    }

    public static func json(_ summary: ScanSummary) -> String {
        var byVerdict: [String: Int] = [:]
        var byBase: [String: Int] = [:]
        for entry in summary.entries {
            guard let result = entry.outcome.result else { continue }
            byVerdict[result.verdict.rawValue, default: 0] += 1
            byBase[result.likelyBase ?? "unknown", default: 0] += 1
        }
        let entries = summary.entries.map { entry -> Document.Entry in
            let result = entry.outcome.result
            var code: String?, message: String?, status: String
            switch entry.outcome {
            case .audited: status = "audited"
            case .stored: status = "already-stored"
            case let .failed(c, m): status = "not-audited"; code = c; message = m
            }
            return .init(path: entry.path, status: status, verdict: result?.verdict.rawValue, likelyBase: result?.likelyBase,
                         inheritsFrom: result?.inherited, sha256: result?.key.candidateSHA256,
                         seconds: status == "audited" ? result?.totalSeconds : nil, errorCode: code, error: message)
        }
        let document = Document(
            store: summary.store, files: summary.entries.count, audited: summary.audited, alreadyStored: summary.alreadyStored,
            notAudited: summary.failed, seconds: summary.seconds, jobs: summary.jobs, byVerdict: byVerdict, byLikelyBase: byBase,
            byInherited: Dictionary(uniqueKeysWithValues: inheritedCounts(summary).map { ($0.id, $0.count) }), entries: entries)
        return encode(document)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        guard let data = try? PedigreeJSON.encoder().encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
