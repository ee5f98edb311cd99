import PedigreeCompute
import PedigreeLineage
import PedigreePolicy

/// The Markdown report's sections, one function each; each returns its lines, or none when
/// the report has nothing for it. Every string from the report is escaped here.
enum MarkdownSections {
    typealias Esc = MarkdownEscaping

    /// Right under the verdict: what fails the audit, each with what to do, then what is
    /// advised. Empty for a clean pass with nothing advised.
    static func actions(_ report: AuditReport) -> [String] {
        let actions = ReportActions(report)
        var lines: [String] = []
        if !actions.required.isEmpty {
            lines += ["## Actions (\(actions.required.count) required)", ""]
            lines += actions.required.enumerated().map { "\($0.offset + 1). `\($0.element.id)` \(Esc.inline($0.element.text))" }
        }
        if !actions.advised.isEmpty {
            lines += (lines.isEmpty ? [] : [""]) + ["### Advised (\(actions.advised.count), not failing)", ""]
            lines += actions.advised.map { "- `\($0.id)` \(Esc.inline($0.text))" }
        }
        return lines
    }

    static func verdict(_ report: AuditReport) -> [String] {
        let mark = report.outcome.verdict.mark
        var lines = [
            "# Pedigree audit: \(Esc.inline(ReportVocabulary.title(report)))",
            "",
            "> **\(mark) \(Esc.inline(ReportVocabulary.verdictHeadline(report)))**",
        ]
        if !report.outcome.summary.isEmpty { lines += [">", "> \(Esc.inline(report.outcome.summary))"] }
        lines += ["", "## Verdict", ""]
        lines.append("- **Likely lineage:** \(Esc.inline(report.lineage.summary))")
        if let base = report.lineage.likelyBase {
            lines.append("- **Likely base:** \(Esc.code(base)) (\(ReportVocabulary.relationLabel(report.lineage.relation)))" + (report.lineage.borderline ? ", borderline" : ""))
        } else {
            lines.append("- **Likely base:** none identified")
        }
        lines.append("- **Inherits licences from:** " + (report.inheritsFrom.isEmpty ? "nothing detected" : report.inheritsFrom.map(Esc.code).joined(separator: ", ")))
        if let release = report.release {
            let declared = release.declaredBases.isEmpty ? "none" : release.declaredBases.map(Esc.code).joined(separator: ", ")
            lines.append("- **Declared bases:** \(declared)")
            if let licence = release.licence { lines.append("- **Declared licence:** \(Esc.code(licence))") }
            if let commercial = release.commercialUse { lines.append("- **Commercial use declared:** \(commercial ? "yes" : "no")") }
        }
        lines.append("- **Obligations:** \(report.obligations.filter { $0.status == .met }.count) met, \(report.outcome.unmet) unmet, \(report.outcome.unverifiable) unverifiable")
        return lines
    }

    static func attribution(_ report: AuditReport) -> [String] {
        guard let attribution = report.attribution, !attribution.references.isEmpty else { return [] }
        var lines = ["## Attribution: each reference's share of the candidate's change", "",
                     Esc.inline(ShareText.method(attribution, minimumShare: report.minimumShare)), ""]
        let components = attribution.references.first?.components.map(\.name) ?? []
        lines += MarkdownTable(["Reference", "Change from", "Whole model"] + components + ["Estimator"],
                               alignments: [.left, .left, .right] + components.map { _ in .right } + [.left],
                               rows: attribution.references.map { reference in
                                   [Esc.code(reference.id), reference.ancestor.map(Esc.code) ?? "its line", ShareText.share(reference.share, reference.interval)]
                                       + reference.components.map { ShareText.share($0.share, $0.interval) } + [reference.estimator.rawValue]
                               }).lines()
        let groups = attribution.references.first?.groups.map(\.name) ?? []
        if !groups.isEmpty {
            lines += ["", "By block group (a block merge can put a whole change in a few of them):", ""]
            lines += MarkdownTable(["Block group"] + attribution.references.map { Esc.code($0.id) },
                                   alignments: [.left] + attribution.references.map { _ in .right },
                                   rows: groups.enumerated().map { index, name in
                                       [Esc.code(name)] + attribution.references.map { ref in
                                           index < ref.groups.count ? ShareText.share(ref.groups[index].share, ref.groups[index].interval) : "n/a"
                                       }
                                   }).lines()
        }
        let blocks = attribution.references.first?.blocks.map(\.name) ?? []
        if !blocks.isEmpty {
            lines += ["", "<details><summary>By block</summary>", ""]
            lines += MarkdownTable(["Block"] + attribution.references.map { Esc.code($0.id) },
                                   alignments: [.left] + attribution.references.map { _ in .right },
                                   rows: blocks.enumerated().map { index, name in
                                       [Esc.code(name)] + attribution.references.map { ref in
                                           index < ref.blocks.count ? ShareText.share(ref.blocks[index].share, ref.blocks[index].interval) : "n/a"
                                       }
                                   }).lines()
            lines += ["", "</details>"]
        }
        return lines
    }

    static func lineage(_ report: AuditReport) -> [String] {
        var lines = ["## Lineage and evidence"]
        if !report.lineage.shares.isEmpty {
            lines += ["", "Share of each descendant's change the candidate carries:", ""]
            lines += MarkdownTable(["Model", "Share"], alignments: [.left, .right],
                                   rows: report.lineage.shares.sorted { $0.key < $1.key }.map { [Esc.code($0.key), ReportNumbers.percent($0.value)] }).lines()
        }
        if report.inheritance.isEmpty {
            lines += ["", "No reference model is close enough for its licence to reach this checkpoint."]
        }
        for model in report.inheritance {
            let title = model.name.map { "\(Esc.inline($0)) (\(Esc.code(model.id)))" } ?? Esc.code(model.id)
            lines += ["", "### \(title)", ""]
            if let licence = model.licence { lines.append("- Licence: \(Esc.code(licence))") }
            lines.append("- Path: candidate → " + (model.via.isEmpty ? Esc.code(model.id) : model.via.map(Esc.code).joined(separator: " → ")))
            for evidence in model.evidence {
                var line = "- Evidence \(Esc.code(evidence.rule.rawValue))"
                if let band = evidence.band { line += " (\(band.displayName))" }
                line += ": \(Esc.inline(evidence.detail))"
                let figures = evidence.figures.sorted { $0.key < $1.key }.map { "\(Esc.inline($0.key)) \(ReportNumbers.evidenceFigure(name: $0.key, value: $0.value))" }
                if !figures.isEmpty { line += " (" + figures.joined(separator: ", ") + ")" }
                lines.append(line)
            }
        }
        return lines
    }

    static func similarity(_ report: AuditReport) -> [String] {
        guard !report.references.isEmpty else { return ["## Similarity", "", "No references were compared."] }
        let coverage = CoverageText.sentence(report).map { ["", Esc.inline($0)] } ?? []
        let sampled = report.references.contains { $0.interval != nil }
        var header = ["Reference", "Mean cosine"]
        if sampled { header.append("95% interval") }
        header += ["Band", "Borderline"]
        let rows = report.references.map { ref -> [String] in
            var row = [Esc.inline(ReportVocabulary.referenceName(ref)), ReportNumbers.cosine(ref.meanCosine)]
            if sampled { row.append(ref.interval.map { ReportNumbers.interval(($0.low, $0.high)) } ?? "—") }
            return row + [ref.band.displayName, ref.borderline ? "yes" : "no"]
        }
        var lines = ["## Similarity", "", "Mean cosine of the candidate against each reference (\(Esc.inline(report.metric.id)), \(report.mode.rawValue)).", ""]
        lines += MarkdownTable(header, alignments: [.left, .right] + (sampled ? [.left] : []) + [.left, .left], rows: rows).lines()
        lines += coverage

        let components = ReportVocabulary.orderedComponentNames(report.references)
        if !components.isEmpty {
            lines += ["", "Per component (mean cosine):", ""]
            let componentRows = report.references.map { ref in
                [Esc.code(ref.id)] + components.map { name in ref.components.first { $0.name == name }.map { ReportNumbers.cosine($0.meanCosine) } ?? "—" }
            }
            lines += MarkdownTable(["Reference"] + components.map { Esc.inline(ReportVocabulary.componentName($0)) },
                                   alignments: [.left] + components.map { _ in .right }, rows: componentRows).lines()
        }
        return lines
    }

    static func blocks(_ report: AuditReport) -> [String] {
        let names = ReportVocabulary.orderedBlockNames(report.references)
        guard !names.isEmpty else { return [] }
        let rows = names.map { block in
            [Esc.code(block)] + report.references.map { ref in ref.blocks.first { $0.name == block }.map { ReportNumbers.cosine($0.meanCosine) } ?? "—" }
        }
        return ["### Per block", "", "Mean cosine per block, in data-flow order (UNet input → middle → output, then text encoders).", ""]
            + MarkdownTable(["Block"] + report.references.map { Esc.code($0.id) }, alignments: [.left] + report.references.map { _ in .right }, rows: rows).lines()
    }

    static func deltas(_ report: AuditReport) -> [String] {
        let deltas = report.references.flatMap(\.deltas)
        guard !deltas.isEmpty else { return [] }
        var rows: [[String]] = []
        for delta in deltas {
            let pair = "\(Esc.code(delta.ancestor)) → \(Esc.code(delta.descendant))"
            rows.append([pair, "all", ReportNumbers.percent(delta.share), ReportNumbers.cosine(delta.cosine)])
            for part in delta.components {
                rows.append([pair, Esc.inline(ReportVocabulary.componentName(part.name)), ReportNumbers.percent(part.share), ReportNumbers.cosine(part.cosine)])
            }
        }
        return ["### Delta measures", "", "How much of each descendant's change from its ancestor the candidate carries (share), and whether it points the same way (cosine).", ""]
            + MarkdownTable(["Ancestor → descendant", "Part", "Share", "Cosine"], alignments: [.left, .left, .right, .right], rows: rows).lines()
    }

    /// References outside the policies (`--other`): compared, no part in the verdict.
    static func outsidePolicies(_ report: AuditReport) -> [String] {
        guard let others = report.comparedOutsidePolicies, !others.isEmpty, let sentence = report.outsidePoliciesSentence else { return [] }
        let rows = others.map { [Esc.code($0.id) + " (not in the policies)", ReportNumbers.cosine($0.meanCosine), ReportNumbers.cosine($0.parameterWeightedCosine)] }
        return ["### Compared outside the policies", "", Esc.inline(sentence), ""]
            + MarkdownTable(["Label", "Mean cosine", "Parameter-weighted"], alignments: [.left, .right, .right], rows: rows).lines()
    }

    static func baselines(_ report: AuditReport) -> [String] {
        guard !report.baselines.isEmpty else { return [] }
        let rows = report.baselines.map { [Esc.code($0.a), Esc.code($0.b), ReportNumbers.cosine($0.meanCosine), ReportNumbers.cosine($0.parameterWeightedCosine)] }
        return ["### Baselines", "", "The references compared with each other, for scale.", ""]
            + MarkdownTable(["Reference A", "Reference B", "Mean cosine", "Parameter-weighted"], alignments: [.left, .left, .right, .right], rows: rows).lines()
    }

    static func obligations(_ report: AuditReport) -> [String] {
        guard !report.obligations.isEmpty else { return ["## Obligations", "", "No licence obligations are inherited."] }
        let rows = report.obligations.map { check -> [String] in
            let licence = (check.licenceName.map { "\(Esc.inline($0)) (\(Esc.code(check.licence)))" } ?? Esc.code(check.licence))
                + (check.via.isEmpty ? "" : ", via " + check.via.map(Esc.code).joined(separator: " → "))
            return ["\(ReportVocabulary.statusMark(check.status)) \(ReportVocabulary.statusLabel(check.status))",
                    "\(Esc.inline(check.summary)) (\(Esc.code(check.id)))", licence, Esc.code(check.sourceModel),
                    Esc.inline(check.reason), check.manifestField.map(Esc.code) ?? "—"]
        }
        return ["## Obligations", ""]
            + MarkdownTable(["Status", "Obligation", "Licence", "From model", "Reason", "Manifest field"], rows: rows).lines()
    }

    static func declared(_ report: AuditReport) -> [String] {
        let lora = LoRAText.sentence(report.lora).map { ["## LoRA", "", Esc.inline($0)] } ?? []
        guard let declared = report.declared else { return lora }
        var lines = ["## Declared by the file", "", "What the checkpoint's own metadata says about its lineage: claims, read against the weights."]
        if let spec = DeclaredLineageText.modelSpec(declared) { lines += ["", Esc.inline(spec)] }
        let rows = DeclaredLineageText.modelRows(declared)
        if !rows.isEmpty {
            lines += [""] + MarkdownTable(["Read from", "Declared", "Policy model", "Weights"],
                                          rows: rows.map { [Esc.code($0.source), Esc.inline($0.claim), Esc.inline($0.matched), Esc.inline($0.status)] }).lines()
        }
        let steps = DeclaredLineageText.steps(declared)
        if !steps.isEmpty { lines += ["", "Merge steps recorded:"] + steps.map { "- " + Esc.inline($0) } }
        if let markers = DeclaredLineageText.markers(declared) { lines += ["", Esc.inline(markers)] }
        if !declared.notes.isEmpty { lines += ["", "Not read:"] + declared.notes.map { "- " + Esc.inline($0) } }
        return (lora.isEmpty ? [] : lora + [""]) + lines
    }

    static func findings(_ report: AuditReport) -> [String] {
        guard !report.findings.isEmpty else { return ["## Findings", "", "None."] }
        return ["## Findings", ""] + report.findings.map { "- **\(Esc.inline($0.severity.rawValue))** \(Esc.code($0.code.rawValue)): \(Esc.inline($0.message))" }
    }

    static func readingGuide(_ report: AuditReport) -> [String] {
        var lines = ["## How to read this", ""]
        for paragraph in ReportVocabulary.readingGuide(report) { lines += [Esc.inline(paragraph), ""] }
        lines.append("> " + Esc.inline(report.disclaimer))
        return lines
    }

    /// Published: files are named by file name and hash, never by the auditor's local path.
    static func provenance(_ report: AuditReport) -> [String] {
        let name = ReportVocabulary.fileName
        var rows = [["candidate", Esc.inline(name(report.candidate.path)), "checkpoint",
                     report.candidate.sha256.map(Esc.code) ?? "—", report.candidate.autov2.map(Esc.code) ?? "—"]]
        for ref in report.references {
            rows.append([Esc.code(ref.id), ref.path.map { Esc.inline(name($0)) } ?? "—", ref.kind.map { Esc.inline($0.rawValue) } ?? "—",
                         ref.sha256.map(Esc.code) ?? "—", "—"])
        }
        var lines = ["---", "", "<sub>Generated by \(Esc.inline(report.tool.name)) \(Esc.inline(report.tool.version)) (schema \(Esc.code(report.schema)))."]
        if let release = report.release { lines[lines.count - 1] += " Release manifest: \(Esc.inline(name(release.manifestPath)))." }
        if let set = report.policySet { lines[lines.count - 1] += " Policies: \(Esc.inline(set.publishedSummary))." }
        lines[lines.count - 1] += "</sub>"
        lines += [""] + MarkdownTable(["File", "Name", "Kind", "SHA-256", "AutoV2"], rows: rows).lines()
        return lines
    }
}
