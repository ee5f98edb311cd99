import PedigreeCompute
import PedigreeFormat
import PedigreeLineage
import PedigreePolicy

/// Words and orderings every renderer shares, so a status or a block reads the same in the
/// terminal, on a model page and in the HTML report.
enum ReportVocabulary {
    /// What the report is about: the release name (and version) when a manifest was given,
    /// otherwise the candidate's file name.
    static func title(_ report: AuditReport) -> String {
        if let release = report.release {
            return release.version.map { "\(release.name) \($0)" } ?? release.name
        }
        return fileName(report.candidate.path)
    }

    static func fileName(_ path: String) -> String { AuditReport.fileName(path) }

    /// The banner: the verdict's word and what decided it, as the audit worded it once for
    /// every renderer.
    static func verdictHeadline(_ report: AuditReport) -> String { report.outcome.headline }

    /// Status labels carry a symbol and a word so that colour is never the only signal.
    static func statusMark(_ status: ObligationCheck.Status) -> String {
        switch status {
        case .met: "✓"
        case .unmet: "✗"
        case .unverifiable: "?"
        case .notCheckable: "·"
        }
    }

    static func statusLabel(_ status: ObligationCheck.Status) -> String {
        switch status {
        case .met: "met"
        case .unmet: "unmet"
        case .unverifiable: "unverifiable"
        case .notCheckable: "not checkable"
        }
    }

    static func relationLabel(_ relation: LineageVerdict.Relation) -> String {
        switch relation {
        case .finetune: "fine-tune"
        case .merge: "merge"
        case .unknown: "unknown"
        }
    }

    static func modeLabel(_ mode: CompareResult.Mode) -> String {
        switch mode {
        case .exact: "exact (every column of every compared tensor)"
        case .sampled: "sampled (fingerprint columns; figures carry 95% intervals)"
        case .published: "published (figures read from published numbers; no weights compared here)"
        }
    }

    /// A reference's display name: the policy name with its id, or the id alone.
    static func referenceName(_ reference: ReferenceVerdict) -> String {
        guard let name = reference.name, name != reference.id else { return reference.id }
        return "\(name) (\(reference.id))"
    }

    static func componentName(_ raw: String) -> String { Component(rawValue: raw)?.displayName ?? raw }

    /// Block names in data-flow order (UNet input → middle → output, then text encoders).
    static func orderedBlockNames(_ references: [ReferenceVerdict]) -> [String] {
        orderedNames(references.flatMap { $0.blocks.map(\.name) })
    }

    static func orderedComponentNames(_ references: [ReferenceVerdict]) -> [String] {
        var seen = Set<String>()
        return references.flatMap { $0.components.map(\.name) }.filter { seen.insert($0).inserted }
            .sorted { (Component(rawValue: $0) ?? .other, $0) < (Component(rawValue: $1) ?? .other, $1) }
    }

    static func orderedNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.sorted { BlockNaming.sortKey($0) < BlockNaming.sortKey($1) }
    }

    /// Short axis label for a UNet block, as merge tools name them: IN04, MID, OUT02.
    static func shortBlockLabel(_ block: String) -> String {
        let parts = block.split(separator: ".")
        let index = parts.last.flatMap { Int($0) }
        if block.hasPrefix("unet.input_blocks."), let index { return "IN\(twoDigits(index))" }
        if block.hasPrefix("unet.output_blocks."), let index { return "OUT\(twoDigits(index))" }
        switch block {
        case "unet.middle_block": return "MID"
        case "unet.time_embed": return "TIME"
        case "unet.label_emb": return "LABEL"
        case "unet.out": return "OUT"
        default: return String(parts.last ?? Substring(block))
        }
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The text of the "how to read this" section, shared by Markdown and HTML.
    static func readingGuide(_ report: AuditReport) -> [String] {
        let t = report.thresholds
        let f = ReportNumbers.threshold
        return [
            "The figure is \(report.metric.id): \(report.metric.definition).",
            "Bands: at or above \(f(t.tooClose)) is \(Band.tooClose.displayName); from \(f(t.fair)) is \(Band.fair.displayName); from \(f(t.largeDifference)) is \(Band.largeDifference.displayName); below \(f(t.largeDifference)) is \(Band.distant.displayName). A figure within \(f(t.margin)) above a band's lower bound is flagged borderline.",
            "Mode: \(modeLabel(report.mode)).",
            "Delta measures compare the candidate's change from an ancestor with a descendant's change from the same ancestor: a share of 60% means the candidate carries about 60% of that descendant's change, as a merge at that ratio would.",
        ]
    }
}
