import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

/// The terminal summary `pedigree audit` prints: the verdict first, then the likely
/// lineage, the references with their bands, the obligations and the findings. Where the
/// report files were written is the command's business, not this renderer's.
public struct AuditTextRenderer: ReportRenderer {
    /// ANSI colour, decided by the caller (terminal and `NO_COLOR`).
    public var colored: Bool

    public init(colored: Bool = false) { self.colored = colored }

    public func render(_ report: AuditReport) -> String {
        let style = ANSIStyle(enabled: colored)
        let clean = ANSIStyle.sanitized
        var out: [String] = []

        out.append(style.bold("pedigree audit: \(clean(ReportVocabulary.title(report)))"))
        out.append(style.dim("candidate \(clean(report.candidate.path))" + (report.candidate.autov2.map { "  AutoV2 \(clean($0))" } ?? "")))
        out.append("")

        let headline = ReportVocabulary.verdictHeadline(report)
        let verdict = "\(report.outcome.verdict.mark) \(headline)"
        out.append(style.bold(report.outcome.verdict == .pass ? style.green(verdict) : style.red(verdict)))
        if !report.outcome.summary.isEmpty { out.append("  " + clean(report.outcome.summary)) }
        out.append("")
        let actions = ReportActions(report)
        if !actions.required.isEmpty {
            out.append(style.bold("Actions") + style.dim("  (\(actions.required.count) required)"))
            out += actions.required.enumerated().map { "  \($0.offset + 1). [\(clean($0.element.id))] \(clean($0.element.text))" }
            out.append("")
        }

        out.append(style.bold("Likely lineage"))
        if let lora = LoRAText.sentence(report.lora) { out.append("  " + clean(lora)) }
        out.append(contentsOf: lineageLines(report, style: style))
        out.append("")

        if let declared = report.declared {
            out.append(style.bold("Declared by the file") + style.dim("  (its own metadata: claims, read against the weights)"))
            out.append(contentsOf: declaredLines(declared))
            out.append("")
        }

        out.append(style.bold("References") + style.dim("  (\(report.metric.id), \(report.mode.rawValue))"))
        out.append(contentsOf: referenceTable(report, style: style).lines())
        if let coverage = CoverageText.sentence(report) { out.append("  " + clean(coverage)) }
        if let outside = report.outsidePoliciesSentence { out.append("  " + clean(outside)) }
        out.append("")

        out.append(style.bold("Obligations") + style.dim("  (\(obligationCounts(report)))"))
        if report.obligations.isEmpty {
            out.append("  none inherited")
        } else {
            out.append(contentsOf: obligationLines(report, style: style))
        }

        if !report.findings.isEmpty {
            out.append("")
            out.append(style.bold("Findings"))
            for finding in report.findings {
                out.append("  " + severityTag(finding.severity, style: style) + " \(clean(finding.code.rawValue)): \(clean(finding.message))")
            }
        }
        out.append("")
        if let set = report.policySet { out.append(style.dim("policies: \(clean(set.summary))")) }
        out.append(style.dim("Similarity is evidence, not proof; this is not legal advice."))
        return out.joined(separator: "\n") + "\n"
    }

    private func lineageLines(_ report: AuditReport, style: ANSIStyle) -> [String] {
        let clean = ANSIStyle.sanitized
        let lineage = report.lineage
        var lines = ["  " + clean(lineage.summary)]
        if let base = lineage.likelyBase {
            lines.append("  likely base: \(clean(base)) (\(ReportVocabulary.relationLabel(lineage.relation)))" + (lineage.borderline ? style.yellow(" borderline") : ""))
        } else if lineage.status == .unknown {
            lines.append("  likely base: none identified")
        }
        if !lineage.shares.isEmpty {
            let shares = lineage.shares.sorted { $0.key < $1.key }.map { "\(clean($0.key)) \(ReportNumbers.percent($0.value))" }
            lines.append("  shares: " + shares.joined(separator: ", "))
        }
        lines.append("  inherits from: " + (report.inheritsFrom.isEmpty ? "nothing" : report.inheritsFrom.map(clean).joined(separator: ", ")))
        return lines
    }

    private func declaredLines(_ declared: DeclaredLineageReport) -> [String] {
        let clean = ANSIStyle.sanitized
        var lines: [String] = []
        if let spec = DeclaredLineageText.modelSpec(declared) { lines.append("  " + clean(spec)) }
        for row in DeclaredLineageText.modelRows(declared) {
            lines.append("  \(clean(row.status))  \(clean(row.claim)) → \(clean(row.matched))  [\(clean(row.source))]")
        }
        for step in DeclaredLineageText.steps(declared) { lines.append("  merge: " + clean(step)) }
        if let markers = DeclaredLineageText.markers(declared) { lines.append("  " + clean(markers)) }
        for note in declared.notes { lines.append("  note: " + clean(note)) }
        return lines
    }

    private func referenceTable(_ report: AuditReport, style: ANSIStyle) -> TextTable {
        var rows = [[TextTable.Cell("reference"), TextTable.Cell("mean cosine"), TextTable.Cell("band")].map { TextTable.Cell($0.plain, styled: style.dim($0.plain)) }]
        for reference in report.references {
            var figure = ReportNumbers.cosine(reference.meanCosine)
            if let interval = reference.interval { figure += " " + ReportNumbers.interval((interval.low, interval.high)) }
            let band = reference.band.displayName + (reference.borderline ? " (borderline)" : "")
            rows.append([TextTable.Cell(ANSIStyle.sanitized(reference.id)), TextTable.Cell(figure), TextTable.Cell(band, styled: bandStyled(band, reference.band, style))])
        }
        return TextTable(rows: rows, rightAligned: [1])
    }

    /// Problems first, each with its reason: required ones (they decide the exit status),
    /// then softer ones. Met obligations and duties no release can show are summarised;
    /// the report files list every obligation in full.
    private func obligationLines(_ report: AuditReport, style: ANSIStyle) -> [String] {
        let clean = ANSIStyle.sanitized
        let problems = report.obligations.filter { $0.status == .unmet || $0.status == .unverifiable }
        let ordered = problems.filter { $0.severity == .required } + problems.filter { $0.severity != .required }
        var lines: [String] = []
        for check in ordered {
            let status = "\(ReportVocabulary.statusMark(check.status)) \(check.id)"
            let styled = check.severity != .required ? style.yellow(status) : (check.status == .unmet ? style.red(status) : style.yellow(status))
            lines.append("  \(styled)  " + style.dim("[\(clean(check.severity.rawValue))] \(clean(check.licence)), from \(clean(check.sourceModel))"))
            lines.append("      \(clean(check.summary))")
            lines.append("      → \(clean(check.reason))")
        }
        let met = report.obligations.filter { $0.status == .met }
        if !met.isEmpty {
            lines.append("  " + style.green("✓ met:") + " " + met.map { "\(clean($0.id)) (\(clean($0.licence)))" }.joined(separator: ", "))
        }
        let notCheckable = report.obligations.filter { $0.status == .notCheckable }
        if !notCheckable.isEmpty {
            lines.append(style.dim("  · \(notCheckable.count) more concern how the model is used, not what a release shows: \(notCheckable.map { clean($0.id) }.joined(separator: ", "))"))
        }
        return lines
    }

    private func obligationCounts(_ report: AuditReport) -> String {
        let required = report.obligations.filter { ($0.status == .unmet || $0.status == .unverifiable) && $0.severity == .required }.count
        let soft = report.obligations.filter { ($0.status == .unmet || $0.status == .unverifiable) && $0.severity != .required }.count
        let met = report.obligations.filter { $0.status == .met }.count
        var parts = ["\(required) required not shown to be met"]
        if soft > 0 { parts.append("\(soft) requested not met") }
        parts.append("\(met) met")
        return parts.joined(separator: " · ")
    }

    private func bandStyled(_ text: String, _ band: Band, _ style: ANSIStyle) -> String {
        switch band {
        case .tooClose: style.red(text)
        case .fair: style.yellow(text)
        case .largeDifference: style.cyan(text)
        case .distant: style.dim(text)
        }
    }

    private func severityTag(_ severity: FindingSeverity, style: ANSIStyle) -> String {
        let tag = "[\(severity.rawValue)]"
        switch severity {
        case .error: return style.red(tag)
        case .warning: return style.yellow(tag)
        case .info: return style.dim(tag)
        }
    }
}
