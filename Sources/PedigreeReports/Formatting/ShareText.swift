import PedigreeCompute

/// Attribution shares as every format prints them: `60.0% [59.6–60.4%]`, or `n/a` where a
/// reference's change is too small in a part to be identified.
enum ShareText {
    static func share(_ share: Double?, _ interval: IntervalPair?) -> String {
        guard let share, share.isFinite else { return "n/a" }
        return ReportNumbers.percent(share) + (interval.map { " [\(range($0))]" } ?? "")
    }

    static func range(_ interval: IntervalPair) -> String {
        String(format: "%.1f–%.1f%%", interval.low * 100, interval.high * 100)
    }

    /// What the attribution was measured against and how, in one paragraph.
    static func method(_ attribution: AttributionFigures, minimumShare: Double?) -> String {
        var text = "Fitted jointly: the candidate as its root (\(attribution.roots.joined(separator: ", "))) plus a combination of every compared reference's own change, for the whole model, each component, each block group and each block."
        if let minimumShare {
            text += " A reference is inherited when a share's 95% interval clears the policy's \(ReportNumbers.percent(minimumShare)) minimum for the whole model, a component or a block group."
            text += " Where the spectral profile was measured, copied structure decides instead: the share of a reference's change beyond its dominant directions must clear the policy's floor and the null observed on an independent sibling, or the candidate must carry the reference's top singular pairs on their exact axes, coherently across tensors (an extracted LoRA merged in)."
        }
        text += " Unexplained by any reference: \(share(attribution.unexplained, attribution.unexplainedInterval))."
        if let support = attribution.support {
            text += " \(ReportNumbers.percent(support.unchangedFraction)) of the compared weights equal \(support.base) bit for bit, as a TIES or DARE merge onto it leaves them; shares marked \"support\" are measured on the changed weights only."
        }
        for reference in attribution.references {
            text += spectral(reference)
        }
        if let note = attribution.spectralNote { text += " " + note }
        return text + " Intervals: \(attribution.intervalMethod)."
    }

    /// The spectral profile of one reference's change, when measured: its share of the whole
    /// change and beyond each probed rank, and, for a subtracted top, which share is used.
    static func spectral(_ reference: ReferenceAttribution) -> String {
        guard let profile = reference.spectral, !profile.isEmpty else { return "" }
        let parts = profile.map { entry in
            (entry.rank == 0 ? "whole change" : "beyond rank \(entry.rank)") + " " + share(entry.share, entry.interval)
        }
        var text = " Spectral profile of \(reference.id)'s change: \(parts.joined(separator: ", "))."
        if let evidence = reference.evidence, let tail = evidence.tail(in: .model) {
            text += " Copied structure: \(share(tail.share, tail.interval)) of \(reference.id)'s change beyond its top \(evidence.rank) directions, which independent training does not reproduce"
            if let dominant = evidence.dominant { text += " (within them: \(share(dominant.share, dominant.interval)), which training on similar data can also reach)" }
            if let null = evidence.observedNull, let nullTail = null.tail(in: .model) {
                text += "; observed null: \(null.reference), an independent descendant of the same ancestor, carries \(share(nullTail.share, nullTail.interval))"
            }
            text += "."
        }
        if let rank = reference.subtractedRank, let deepest = profile.last {
            text += " The top of \(reference.id)'s change is subtracted (rank ≤ \(rank)), as a LoRA of it merged at negative strength does: the share shown for it is the one beyond rank \(deepest.rank), what the weights still carry."
        }
        return text
    }
}
