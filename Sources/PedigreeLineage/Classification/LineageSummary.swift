import Foundation
import PedigreeCompute
import PedigreePolicy

/// The sentence a person reads first, built from the rules' results (never from strings the
/// rules wrote): what the candidate is, where the inherited change sits, and what is open.
enum LineageSummary {
    static func number(_ value: Double) -> String { String(format: "%.4f", value) }

    static func shareText(_ share: Double, _ interval: IntervalPair?) -> String {
        Percent.share(share) + (interval.map { " [\(Percent.interval($0))]" } ?? "")
    }

    static func fromAttribution(
        inherited: [AttributionRules.Inheritance], mostSpecific: AttributionRules.Inheritance?, relation: LineageVerdict.Relation,
        rootOnly: String?, attribution: AttributionFigures, result: CompareResult, bands: BandClassifier,
        settings: AttributionSettings, inconclusive: [InconclusiveShare],
        lookalikes: [(id: String, dominant: ScopedShare)] = []
    ) -> String {
        var sentences: [String] = []
        if let top = mostSpecific {
            let whose = top.ancestor.map { "\(top.id)'s change from \($0)" } ?? "\(top.id)'s line"
            let whole = top.whole.map { shareText($0.share, $0.interval) } ?? "an unmeasured share"
            switch relation {
            case .finetune: sentences.append("A fine-tune of \(top.id): it carries \(whole) of \(whose)")
            default: sentences.append("A merge carrying \(whole) of \(whose)")
            }
            if let copied = top.copied, let tail = copied.tail(in: .model), let share = tail.share {
                var text = "It carries \(shareText(share, tail.interval)) of \(top.id)'s change in directions independent training does not reproduce (beyond its top \(copied.rank)): a copy of weights"
                if let null = copied.observedNull, let nullShare = null.tail(in: .model)?.share {
                    text += "; \(null.reference), an independent descendant of the same base, carries \(Percent.fine(nullShare)) of it"
                }
                sentences.append(text)
            } else if let placement = placement(of: top.id, attribution: attribution, settings: settings) { sentences.append(placement) }
            let others = inherited.filter { $0.id != top.id && $0.ancestor != nil && !isOnPath($0, to: top, inherited: inherited) }
            for other in others {
                let share = other.whole.map { shareText($0.share, $0.interval) } ?? "part"
                sentences.append("It also carries \(share) of \(other.id)'s change\(other.ancestor.map { " from \($0)" } ?? "")")
            }
            if let closest = result.references.filter({ !$0.meanCosine.isNaN }).max(by: { $0.meanCosine < $1.meanCosine }),
               closest.id != top.id, !inherited.contains(where: { $0.id == closest.id }) {
                sentences.append("By the article's cosine bands alone it would read as \(closest.id) (closest at \(number(closest.meanCosine))); the weights carry \(top.id)'s change")
            }
        } else if let root = rootOnly {
            let closest = result.references.filter { !$0.meanCosine.isNaN }.max { $0.meanCosine < $1.meanCosine }
            var text = "Descends from \(root)"
            if let closest { text += " (closest reference \(closest.id) at \(number(closest.meanCosine)), \(bands.band(closest.meanCosine).displayName))" }
            let carried = attribution.references.filter { $0.ancestor != nil }.compactMap { ref in ref.share.map { "\(ref.id) \(shareText($0, ref.interval))" } }
            if !carried.isEmpty, lookalikes.isEmpty {
                text += " and carries no compared descendant's change above the \(Percent.share(settings.minimumShare)) minimum: " + carried.joined(separator: ", ")
            }
            sentences.append(text)
        }
        sentences += lookalikes.map { id, dominant in
            let tail = attribution.reference(id)?.evidence?.tail(in: .model)
            let tailText = tail.flatMap { $0.share }.map { " (\(Percent.fine($0)) beyond its top directions)" } ?? ""
            return "It shares \(id)'s dominant directions (\(shareText(dominant.share ?? 0, dominant.interval))) but none of its own structure\(tailText): consistent with training on similar data; not inherited"
        }
        sentences += inconclusive.prefix(3).map { open in
            attribution.reference(open.id)?.evidence != nil
                ? "\(open.id)'s share beyond its dominant directions in \(open.scope) reaches \(shareText(open.share, open.interval)) but does not clearly clear the \(Percent.fine(settings.copiedFloor)) floor and the null observed on an independent sibling: inconclusive"
                : "\(open.id)'s share in \(open.scope) reaches \(shareText(open.share, open.interval)) but its interval does not clear the \(Percent.share(settings.minimumShare)) minimum: inconclusive"
        }
        return sentences.joined(separator: ". ") + "."
    }

    /// Whether `other` is an ancestor line of `top` (Illustrious 0.1 under NoobAI): said once, not as "also".
    static func isOnPath(_ other: AttributionRules.Inheritance, to top: AttributionRules.Inheritance, inherited: [AttributionRules.Inheritance]) -> Bool {
        var current = top.ancestor
        var steps = 0
        while let id = current, steps < 32 {
            if id == other.id { return true }
            current = inherited.first { $0.id == id }?.ancestor
            steps += 1
        }
        return false
    }

    /// Where a reference's change sits when it is not spread evenly: "noobai's change in
    /// clip_l (100%) and clip_g (100%), none in unet (0%)". Nil when it is even.
    static func placement(of id: String, attribution: AttributionFigures, settings: AttributionSettings) -> String? {
        guard let reference = attribution.reference(id) else { return nil }
        func list(_ parts: [AttributionPart]) -> String {
            let names = parts.map { "\($0.name) (\(Percent.share($0.share ?? 0)))" }
            return names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
        let components = reference.components.filter { $0.share != nil }
        let carrying = components.filter { ($0.share ?? 0) >= settings.minimumShare }
        let lacking = components.filter { ($0.share ?? 0) < settings.nullShare }
        if !carrying.isEmpty, !lacking.isEmpty {
            return "\(id)'s change sits in \(list(carrying)), none in \(list(lacking))"
        }
        let groups = reference.groups.filter { $0.share != nil }
        let carryingGroups = groups.filter { ($0.interval?.low ?? -1) >= settings.minimumShare }
        let lackingGroups = groups.filter { ($0.share ?? 0) < settings.nullShare }
        if !carryingGroups.isEmpty, !lackingGroups.isEmpty {
            return "\(id)'s change sits in \(list(carryingGroups)); little or none elsewhere in the UNet"
        }
        return nil
    }

    static func unknown(result: CompareResult, bands: BandClassifier, inconclusive: [InconclusiveShare]) -> String {
        let closest = result.references.filter { !$0.meanCosine.isNaN }.max { $0.meanCosine < $1.meanCosine }
        var text = "Lineage unknown: no reference's change is carried above the minimum and the closest reference"
        text += closest.map { " (\($0.id) at \(number($0.meanCosine)))" } ?? ""
        text += " is below \(number(bands.thresholds.largeDifference)). This is not a clean bill: no compared reference explains these weights"
        for open in inconclusive.prefix(3) {
            text += ". \(open.id)'s share in \(open.scope) reaches \(shareText(open.share, open.interval)) without clearing the minimum"
        }
        return text + "."
    }
}
