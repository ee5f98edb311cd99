import Foundation
import PedigreePolicy
import PedigreeYAML

/// Starting files for a new base model or licence: every required field present, every fact
/// a placeholder (`TODO …` text, `https://todo.invalid/…` sources). They load and lint, so an
/// editor can check them as they are filled in, and `policy lint --strict` refuses them
/// (PO016) until no placeholder is left.
public enum PolicyScaffold {
    public static let placeholderHost = "https://todo.invalid/"

    /// A model file for `id`, made from `parents` (which must exist); its licence is `licence`
    /// or else the first parent's, and its prediction type the first parent's.
    public static func model(id: String, parents: [String], licence: String?, in set: PolicySet) throws(AuthoringError) -> String {
        try checkId(id)
        if set.model(id) != nil { throw .alreadyExists(kind: "model", id: id) }
        var parentModels: [BaseModel] = []
        for parent in parents {
            guard let model = set.model(parent) else {
                throw .unknownModel(parent, suggestion: DidYouMean.suggestion(for: parent, among: set.models.map(\.id)))
            }
            parentModels.append(model)
        }
        guard let licenceId = licence ?? parentModels.first?.licence.id else { throw .licenceNeeded(id: id) }
        if set.licence(licenceId) == nil {
            throw .unknownLicence(licenceId, suggestion: DidYouMean.suggestion(for: licenceId, among: set.licences.map(\.id)))
        }
        var lines = [
            "# yaml-language-server: $schema=../schema/model.schema.json",
            "# Scaffold from `pedigree policy new model`. Replace every TODO and every todo.invalid source with",
            "# the fact and the URL it was read from; `pedigree policy lint --strict` refuses the file until then.",
            "id: \(id)",
            "name: TODO name as the publisher writes it",
            "publisher: TODO publisher",
            "version: \"TODO\"",
            "source: \(placeholderHost)model-card",
            "# huggingface_repo: owner/name",
            "# aliases: [file stems or Civitai names that mean this model]",
            "licence:",
            "  id: \(licenceId)",
            "  source: \(placeholderHost)licence",
            "  evidence: secondary",
        ]
        if !parents.isEmpty {
            lines.append("parents:")
            for parent in parents {
                lines += ["  - id: \(parent)", "    relation: finetune  # or merge",
                          "    source: \(placeholderHost)parent-\(parent)", "    evidence: secondary"]
            }
        }
        lines += ["prediction:", "  type: \(parentModels.first?.prediction.type.rawValue ?? "eps")  # eps or v-prediction",
                  "  source: \(placeholderHost)prediction", "  evidence: secondary",
                  "# files:", "#   - name: model.safetensors", "#     sha256: <64 lower-case hex digits>",
                  "#     source: https://…", "#     evidence: primary"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A licence file for `id` with no obligations yet and the strictest readings as defaults
    /// (commercial use forbidden, derivatives under the same licence) until the text is read.
    public static func licence(id: String, extends parent: String?, in set: PolicySet) throws(AuthoringError) -> String {
        try checkId(id)
        if set.licence(id) != nil { throw .alreadyExists(kind: "licence", id: id) }
        if let parent, set.licence(parent) == nil {
            throw .unknownLicence(parent, suggestion: DidYouMean.suggestion(for: parent, among: set.licences.map(\.id)))
        }
        var lines = [
            "# yaml-language-server: $schema=../schema/licence.schema.json",
            "# Scaffold from `pedigree policy new licence`. Replace every TODO and every todo.invalid source with",
            "# the fact and the URL it was read from; `pedigree policy lint --strict` refuses the file until then.",
            "id: \(id)",
            "name: TODO full licence name",
            "url: \(placeholderHost)licence-text",
            "source: \(placeholderHost)licence-text",
            "identifiers:",
            "  huggingface:",
            "    license: other",
            "    license_name: \(id)",
            "  spdx: null",
            "  spdx_note: TODO say whether SPDX or ScanCode lists it",
            "  source: \(placeholderHost)model-card",
        ]
        if let parent { lines.append("extends: \(parent)") }
        lines += [
            "commercial_use:",
            "  status: forbidden  # allowed, restricted or forbidden — strictest until the text is read",
            "  summary: TODO what the licence says about commercial use",
            "  source: \(placeholderHost)licence-text",
            "derivatives:",
            "  rule: same  # same, same-or-more-permissive, keep-use-restrictions or any",
            "  summary: TODO which licences derivatives may use",
            "  source: \(placeholderHost)licence-text",
            "obligations: []",
            "# obligations:",
            "#   - id: share-recipe",
            "#     summary: Share the merge formula.",
            "#     triggers: [distribute-derivative, distribute-merge]",
            "#     met_by: {field: disclosures.recipe}",
            "#     severity: required",
            "#     source: https://…",
            "#     evidence: primary",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func checkId(_ id: String) throws(AuthoringError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
        guard !id.isEmpty, id.allSatisfy({ allowed.contains($0) }), !id.hasPrefix("."), id.count <= 128 else { throw .invalidId(id) }
    }
}
