import PedigreeCompute
import PedigreeLineage
import PedigreePolicy

/// The HTML report's sections, one function each. `e` escapes every report string.
enum HTMLSections {
    static func e(_ text: String) -> String { HTMLEscaping.escape(text) }
    static func code(_ text: String) -> String { "<code>\(e(text))</code>" }

    static func header(_ report: AuditReport) -> String {
        let pass = report.outcome.verdict == .pass
        var facts: [(String, String)] = [
            ("Likely lineage", e(report.lineage.summary)),
            ("Likely base", report.lineage.likelyBase.map { "\(code($0)) (\(ReportVocabulary.relationLabel(report.lineage.relation)))" + (report.lineage.borderline ? ", borderline" : "") } ?? "none identified"),
            ("Inherits licences from", report.inheritsFrom.isEmpty ? "nothing detected" : report.inheritsFrom.map(code).joined(separator: ", ")),
        ]
        if let release = report.release {
            facts.append(("Declared bases", release.declaredBases.isEmpty ? "none" : release.declaredBases.map(code).joined(separator: ", ")))
            if let licence = release.licence { facts.append(("Declared licence", code(licence))) }
            if let commercial = release.commercialUse { facts.append(("Commercial use declared", commercial ? "yes" : "no")) }
        }
        let met = report.obligations.filter { $0.status == .met }.count
        facts.append(("Obligations", "\(met) met, \(report.outcome.unmet) unmet, \(report.outcome.unverifiable) unverifiable"))
        let subtitle = [e(ReportVocabulary.fileName(report.candidate.path))] + (report.candidate.autov2.map { ["AutoV2 <span class=\"mono\">\(e($0))</span>"] } ?? [])
        return """
        <header>
        <h1>\(e("Pedigree audit: " + ReportVocabulary.title(report)))</h1>
        <p class="subtitle">\(subtitle.joined(separator: " · "))</p>
        <section class="banner \(pass ? "pass" : "fail")" role="status" aria-label="Verdict">
        <div class="mark" aria-hidden="true">\(report.outcome.verdict.mark)</div>
        <div><p class="headline">\(e(ReportVocabulary.verdictHeadline(report)))</p>
        <p>\(e(report.outcome.summary))</p></div>
        </section>
        <dl class="facts">
        \(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined(separator: "\n"))
        </dl>
        </header>
        """
    }

    static func attribution(_ report: AuditReport) -> String {
        guard let attribution = report.attribution, !attribution.references.isEmpty else { return "" }
        var out = ["<section>", "<h2>Attribution: each reference's share of the candidate's change</h2>",
                   "<p>\(e(ShareText.method(attribution, minimumShare: report.minimumShare)))</p>"]
        let components = attribution.references.first?.components.map(\.name) ?? []
        out.append("<table><thead><tr><th>Reference</th><th>Change from</th><th class=\"num\">Whole model</th>"
                   + components.map { "<th class=\"num\">\(e($0))</th>" }.joined() + "<th>Estimator</th></tr></thead><tbody>")
        for reference in attribution.references {
            let cells = [code(reference.id), reference.ancestor.map(code) ?? "its line", e(ShareText.share(reference.share, reference.interval))]
                + reference.components.map { e(ShareText.share($0.share, $0.interval)) } + [e(reference.estimator.rawValue)]
            out.append("<tr>" + cells.enumerated().map { $0.offset >= 2 && $0.offset < cells.count - 1 ? "<td class=\"num\">\($0.element)</td>" : "<td>\($0.element)</td>" }.joined() + "</tr>")
        }
        out.append("</tbody></table>")
        out.append("<p class=\"path\">Each panel: components, then block groups, then blocks in data-flow order; whiskers are 95% intervals; filled dark where the interval clears the minimum.</p>")
        out += attribution.references.compactMap { AttributionChart.svgPanel($0, minimumShare: report.minimumShare) }
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    static func lineage(_ report: AuditReport) -> String {
        var out = ["<section>", "<h2>Lineage and evidence</h2>", "<p>\(e(report.lineage.summary))</p>"]
        if !report.lineage.shares.isEmpty {
            out.append("<table><thead><tr><th>Model</th><th class=\"num\">Share of its change carried</th></tr></thead><tbody>")
            for (id, share) in report.lineage.shares.sorted(by: { $0.key < $1.key }) {
                out.append("<tr><td>\(code(id))</td><td class=\"num\">\(ReportNumbers.percent(share))</td></tr>")
            }
            out.append("</tbody></table>")
        }
        if report.inheritance.isEmpty {
            out.append("<p>No reference model is close enough for its licence to reach this checkpoint.</p>")
        }
        for model in report.inheritance {
            out.append("<h3>\(model.name.map { "\(e($0)) " } ?? "")\(code(model.id))</h3>")
            var items: [String] = []
            if let licence = model.licence { items.append("<li>Licence: \(code(licence))</li>") }
            items.append("<li class=\"path\">Path: candidate → \((model.via.isEmpty ? [model.id] : model.via).map(code).joined(separator: " → "))</li>")
            for evidence in model.evidence {
                let figures = evidence.figures.sorted { $0.key < $1.key }.map { "\(e($0.key)) \(ReportNumbers.evidenceFigure(name: $0.key, value: $0.value))" }.joined(separator: ", ")
                let band = evidence.band.map { " <span class=\"band \($0.rawValue)\">\(e($0.displayName))</span>" } ?? ""
                items.append("<li>\(code(evidence.rule.rawValue))\(band): \(e(evidence.detail))\(figures.isEmpty ? "" : " <span class=\"path\">(\(figures))</span>")</li>")
            }
            out.append("<ul class=\"evidence\">\n\(items.joined(separator: "\n"))\n</ul>")
        }
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    /// Right under the header: what fails the audit, each with what to do, then what is advised.
    static func actions(_ report: AuditReport) -> String {
        let actions = ReportActions(report)
        guard !actions.required.isEmpty || !actions.advised.isEmpty else { return "" }
        var out = ["<section class=\"actions\">"]
        if !actions.required.isEmpty {
            out.append("<h2>Actions (\(actions.required.count) required)</h2><ol>")
            out += actions.required.map { "<li><code>\(e($0.id))</code> \(e($0.text))</li>" }
            out.append("</ol>")
        }
        if !actions.advised.isEmpty {
            out.append("<h3>Advised (\(actions.advised.count), not failing)</h3><ul>")
            out += actions.advised.map { "<li><code>\(e($0.id))</code> \(e($0.text))</li>" }
            out.append("</ul>")
        }
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    static func similarity(_ report: AuditReport) -> String {
        guard !report.references.isEmpty else { return "<section><h2>Similarity</h2><p>No references were compared.</p></section>" }
        let sampled = report.references.contains { $0.interval != nil }
        var out = ["<section>", "<h2>Similarity</h2>",
                   "<p class=\"caption\">Mean cosine of the candidate against each reference on an axis zoomed to [\(ReportNumbers.threshold(ChartScale(report.thresholds).low)), 1]; shaded regions are the bands, dashed lines their boundaries\(sampled ? "; whiskers are 95% intervals" : "").</p>",
                   SimilarityChart.svgChart(report), legend] + (CoverageText.sentence(report).map { ["<p>\(e($0))</p>"] } ?? [])
        let components = ReportVocabulary.orderedComponentNames(report.references)
        var header = "<tr><th>Reference</th><th class=\"num\">Mean cosine</th>" + (sampled ? "<th class=\"num\">95% interval</th>" : "") + "<th>Band</th><th>Borderline</th>"
        header += components.map { "<th class=\"num\">\(e(ReportVocabulary.componentName($0)))</th>" }.joined() + "</tr>"
        out.append("<table><thead>\(header)</thead><tbody>")
        for ref in report.references {
            var row = "<tr><td>\(e(ReportVocabulary.referenceName(ref)))</td><td class=\"num\">\(ReportNumbers.cosine(ref.meanCosine))</td>"
            if sampled { row += "<td class=\"num\">\(ref.interval.map { ReportNumbers.interval(($0.low, $0.high)) } ?? "—")</td>" }
            row += "<td><span class=\"band \(ref.band.rawValue)\">\(e(ref.band.displayName))</span></td><td>\(ref.borderline ? "yes" : "no")</td>"
            row += components.map { name in "<td class=\"num\">\(ref.components.first { $0.name == name }.map { ReportNumbers.cosine($0.meanCosine) } ?? "—")</td>" }.joined()
            out.append(row + "</tr>")
        }
        out.append("</tbody></table>")
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    static func blocks(_ report: AuditReport) -> String {
        let panels = report.references.compactMap { BlockChart.svgPanel($0, thresholds: report.thresholds) }
        guard !panels.isEmpty else { return "" }
        var out = ["<section>", "<h2>Per block</h2>",
                   "<p class=\"caption\">Mean cosine per UNet block, input → middle → output, one panel per reference. A merge shows as blocks that sit in a different band from the rest; ▼ marks a block below the axis\(report.mode == .sampled ? "; vertical whiskers are 95% intervals" : "").</p>",
                   legend]
        out += panels
        let names = ReportVocabulary.orderedBlockNames(report.references)
        out.append("<details><summary>All blocks as a table (\(names.count))</summary>")
        out.append("<table><thead><tr><th>Block</th>\(report.references.map { "<th class=\"num\">\(e($0.id))</th>" }.joined())</tr></thead><tbody>")
        for block in names {
            let cells = report.references.map { ref in "<td class=\"num\">\(ref.blocks.first { $0.name == block }.map { ReportNumbers.cosine($0.meanCosine) } ?? "—")</td>" }
            out.append("<tr><td>\(code(block))</td>\(cells.joined())</tr>")
        }
        out.append("</tbody></table></details>")
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    /// Band colours with their names, so the charts never rely on colour alone.
    static var legend: String {
        "<p class=\"caption\">Bands: " + Band.allCases.reversed().map { "<span class=\"band \($0.rawValue)\">\(e($0.displayName))</span>" }.joined(separator: " ") + "</p>"
    }

    /// References outside the policies (`--other`): compared, no part in the verdict.
    static func outsidePolicies(_ report: AuditReport) -> String {
        guard let others = report.comparedOutsidePolicies, !others.isEmpty, let sentence = report.outsidePoliciesSentence else { return "" }
        var out = ["<section>", "<h2>Compared outside the policies</h2>", "<p class=\"caption\">\(e(sentence))</p>",
                   "<table><thead><tr><th>Label</th><th class=\"num\">Mean cosine</th><th class=\"num\">Parameter-weighted</th></tr></thead><tbody>"]
        for other in others {
            out.append("<tr><td>\(code(other.id)) (not in the policies)</td><td class=\"num\">\(ReportNumbers.cosine(other.meanCosine))</td><td class=\"num\">\(ReportNumbers.cosine(other.parameterWeightedCosine))</td></tr>")
        }
        out += ["</tbody></table>", "</section>"]
        return out.joined(separator: "\n")
    }

    static func deltasAndBaselines(_ report: AuditReport) -> String {
        let deltas = report.references.flatMap(\.deltas)
        guard !deltas.isEmpty || !report.baselines.isEmpty else { return "" }
        var out = ["<section>"]
        if !deltas.isEmpty {
            out += ["<h2>Delta measures</h2>",
                    "<p class=\"caption\">How much of each descendant's change from its ancestor the candidate carries (share), and whether it points the same way (cosine).</p>",
                    "<table><thead><tr><th>Ancestor → descendant</th><th>Part</th><th class=\"num\">Share</th><th class=\"num\">Cosine</th></tr></thead><tbody>"]
            for delta in deltas {
                let pair = "\(code(delta.ancestor)) → \(code(delta.descendant))"
                out.append("<tr><td>\(pair)</td><td>all</td><td class=\"num\">\(ReportNumbers.percent(delta.share))</td><td class=\"num\">\(ReportNumbers.cosine(delta.cosine))</td></tr>")
                for part in delta.components {
                    out.append("<tr><td>\(pair)</td><td>\(e(ReportVocabulary.componentName(part.name)))</td><td class=\"num\">\(ReportNumbers.percent(part.share))</td><td class=\"num\">\(ReportNumbers.cosine(part.cosine))</td></tr>")
                }
            }
            out.append("</tbody></table>")
        }
        if !report.baselines.isEmpty {
            out += ["<h2>Baselines</h2>", "<p class=\"caption\">The references compared with each other, for scale.</p>",
                    "<table><thead><tr><th>Reference A</th><th>Reference B</th><th class=\"num\">Mean cosine</th><th class=\"num\">Parameter-weighted</th></tr></thead><tbody>"]
            for baseline in report.baselines {
                out.append("<tr><td>\(code(baseline.a))</td><td>\(code(baseline.b))</td><td class=\"num\">\(ReportNumbers.cosine(baseline.meanCosine))</td><td class=\"num\">\(ReportNumbers.cosine(baseline.parameterWeightedCosine))</td></tr>")
            }
            out.append("</tbody></table>")
        }
        out.append("</section>")
        return out.joined(separator: "\n")
    }

    static func obligations(_ report: AuditReport) -> String {
        guard !report.obligations.isEmpty else { return "<section><h2>Obligations</h2><p>No licence obligations are inherited.</p></section>" }
        var out = ["<section>", "<h2>Obligations</h2>",
                   "<table><thead><tr><th>Status</th><th>Obligation</th><th>Licence</th><th>From model</th><th>Reason</th><th>Manifest field</th></tr></thead><tbody>"]
        for check in report.obligations {
            let status = "<span class=\"pill \(check.status.rawValue)\">\(ReportVocabulary.statusMark(check.status)) \(ReportVocabulary.statusLabel(check.status))</span>"
            let licence = (check.licenceName.map { "\(e($0)) " } ?? "") + code(check.licence) + (check.via.isEmpty ? "" : "<br><span class=\"path\">via \(check.via.map(code).joined(separator: " → "))</span>")
            out.append("<tr><td>\(status)</td><td>\(e(check.summary))<br><span class=\"path\">\(code(check.id)) · \(e(check.severity.rawValue))</span></td><td>\(licence)</td><td>\(code(check.sourceModel))</td><td>\(e(check.reason))</td><td>\(check.manifestField.map(code) ?? "—")</td></tr>")
        }
        out += ["</tbody></table>", "</section>"]
        return out.joined(separator: "\n")
    }

    static func declared(_ report: AuditReport) -> String {
        let lora = LoRAText.sentence(report.lora).map { "<section><h2>LoRA</h2><p>\(e($0))</p></section>" } ?? ""
        guard let declared = report.declared else { return lora }
        var out = ["<section>", "<h2>Declared by the file</h2>",
                   "<p class=\"caption\">What the checkpoint's own metadata says about its lineage: claims, read against the weights.</p>"]
        if let spec = DeclaredLineageText.modelSpec(declared) { out.append("<p>\(e(spec))</p>") }
        let rows = DeclaredLineageText.modelRows(declared)
        if !rows.isEmpty {
            out.append("<table><thead><tr><th>Read from</th><th>Declared</th><th>Policy model</th><th>Weights</th></tr></thead><tbody>")
            out += rows.map { "<tr><td>\(code($0.source))</td><td>\(e($0.claim))</td><td>\(e($0.matched))</td><td>\(e($0.status))</td></tr>" }
            out.append("</tbody></table>")
        }
        let steps = DeclaredLineageText.steps(declared)
        if !steps.isEmpty { out.append("<p>Merge steps recorded:</p><ul>" + steps.map { "<li>\(e($0))</li>" }.joined() + "</ul>") }
        if let markers = DeclaredLineageText.markers(declared) { out.append("<p>\(e(markers))</p>") }
        if !declared.notes.isEmpty { out.append("<p>Not read:</p><ul>" + declared.notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>") }
        out.append("</section>")
        return (lora.isEmpty ? "" : lora + "\n") + out.joined(separator: "\n")
    }

    static func findings(_ report: AuditReport) -> String {
        guard !report.findings.isEmpty else { return "<section><h2>Findings</h2><p>None.</p></section>" }
        let items = report.findings.map { finding -> String in
            let kind = finding.severity.rawValue
            return "<li><span class=\"pill \(kind)\">\(e(kind))</span> \(code(finding.code.rawValue)): \(e(finding.message))</li>"
        }
        return "<section>\n<h2>Findings</h2>\n<ul class=\"evidence\">\n\(items.joined(separator: "\n"))\n</ul>\n</section>"
    }

    static func modelCard(_ report: AuditReport) -> String {
        "<section>\n<h2>Model-card metadata</h2>\n<p class=\"caption\">Front matter for a Hugging Face model card, computed from the findings.</p>\n<pre class=\"yaml\">\(e(ModelCardFragmentRenderer.yaml(report.modelCard)))</pre>\n</section>"
    }

    static func readingGuide(_ report: AuditReport) -> String {
        let paragraphs = ReportVocabulary.readingGuide(report).map { "<p>\(e($0))</p>" }
        return "<section>\n<h2>How to read this</h2>\n\(paragraphs.joined(separator: "\n"))\n<blockquote class=\"disclaimer\">\(e(report.disclaimer))</blockquote>\n</section>"
    }

    /// Published: files are named by file name and hash, never by the auditor's local path.
    static func provenance(_ report: AuditReport) -> String {
        let name = ReportVocabulary.fileName
        var rows = ["<tr><td>candidate</td><td>\(e(name(report.candidate.path)))</td><td>checkpoint</td><td>\(report.candidate.sha256.map(code) ?? "—")</td><td>\(report.candidate.autov2.map(code) ?? "—")</td></tr>"]
        for ref in report.references {
            rows.append("<tr><td>\(code(ref.id))</td><td>\(ref.path.map { e(name($0)) } ?? "—")</td><td>\(ref.kind.map { e($0.rawValue) } ?? "—")</td><td>\(ref.sha256.map(code) ?? "—")</td><td>—</td></tr>")
        }
        let manifest = (report.release.map { " Release manifest: \(e(name($0.manifestPath)))." } ?? "")
            + (report.policySet.map { " Policies: \(e($0.publishedSummary))." } ?? "")
        return """
        <footer>
        <p>Generated by \(e(report.tool.name)) \(e(report.tool.version)), schema \(code(report.schema)).\(manifest)</p>
        <table><thead><tr><th>File</th><th>Name</th><th>Kind</th><th>SHA-256</th><th>AutoV2</th></tr></thead><tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table>
        </footer>
        """
    }
}
