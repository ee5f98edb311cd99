import PedigreeCompute
import PedigreeFormat
import PedigreeLineage

/// The words every renderer uses for a file's declared lineage. Plain text: each renderer
/// escapes it for its own medium (values come from the file and are hostile).
enum DeclaredLineageText {
    /// "ModelSpec: title “My Mix”, author “me”, licence “…”, architecture …, prediction v."
    static func modelSpec(_ declared: DeclaredLineageReport) -> String? {
        let fields: [(String, String?)] = [
            ("title", declared.title), ("author", declared.author), ("licence", declared.licence),
            ("architecture", declared.architecture), ("prediction type", declared.predictionType),
        ]
        let present = fields.compactMap { name, value in value.map { "\(name) “\($0)”" } }
        guard declared.hasModelspec || !present.isEmpty else { return nil }
        return "ModelSpec: " + (present.isEmpty ? "present, with no descriptive fields" : present.joined(separator: ", "))
            + (declared.models.contains { $0.declared.source == .modelspecMergedFrom } ? "." : "; no `merged_from` (ModelSpec presumes such a model uniquely trained).")
    }

    /// One row per declared model: where it was read, the claim, the policy model matched, what the weights say.
    static func modelRows(_ declared: DeclaredLineageReport) -> [(source: String, claim: String, matched: String, status: String)] {
        declared.models.map { resolved in
            let model = resolved.declared
            var claim = [model.role]
            if let name = model.name { claim.append("“\(name)”") }
            if let sha = model.sha256 { claim.append("SHA-256 \(sha.prefix(12))…") } else if let short = model.shortHash { claim.append("hash \(short)") }
            let matched = resolved.policyId.map { id in "\(id) (by \(resolved.matchedBy?.rawValue ?? "?"))" } ?? "—"
            return (model.source.rawValue, claim.joined(separator: " "), matched, statusLabel(resolved.status))
        }
    }

    static func statusLabel(_ status: DeclarationStatus) -> String {
        switch status {
        case .confirmed: "✓ the weights show it"
        case .contradicted: "✗ the weights do not show it"
        case .notCompared: "· not compared"
        case .unresolved: "? not in the policies"
        }
    }

    /// "weighted sum (sd_merge_recipe: tool=webui, multiplier=0.3)".
    static func steps(_ declared: DeclaredLineageReport) -> [String] {
        declared.steps.map { step in
            "\(step.method) (\(step.source.rawValue)" + (step.settings.isEmpty ? ")" : ": " + step.settings.joined(separator: ", ") + ")")
        }
    }

    /// The marker tensors, as evidence.
    static func markers(_ declared: DeclaredLineageReport) -> String? {
        guard !declared.markers.isEmpty else { return nil }
        return "Marker tensors: " + declared.markers.joined(separator: ", ")
            + " — keys NoobAI's v-prediction releases carry (v-prediction with zero terminal SNR); evidence of a v-prediction lineage, not proof of one."
    }
}

/// The sentence every report gives a LoRA candidate.
enum LoRAText {
    static func sentence(_ lora: LoRASummary?) -> String? {
        guard let lora else { return nil }
        let ranks = lora.rankMin == lora.rankMax ? "rank \(lora.rankMin)" : "ranks \(lora.rankMin)–\(lora.rankMax)"
        let why = lora.basis == "requested" ? "the base asked for or declared" : "the compared reference no other descends from"
        let unmapped = lora.unmapped > 0 ? "; \(lora.unmapped) modules map onto no SDXL tensor and were not applied" : ""
        return "A LoRA (\(lora.convention) naming, \(lora.modules) modules changing \(lora.tensorsChanged) tensors, \(ranks)), measured as \(lora.appliedTo) plus its change (\(why))\(unmapped): its change is compared with each reference pair's as a merge's would be."
    }
}
