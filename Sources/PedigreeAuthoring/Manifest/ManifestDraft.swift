import Foundation
import PedigreePolicy
import PedigreeSupport

/// `manifest init --from AUDIT.json`: a release manifest drafted from an audit report. It
/// declares the bases the audit detected and has one field for each obligation the release
/// must meet, with a comment naming the obligation, the licence that asks for it and the value
/// that meets it. Facts the audit cannot know (links, the maker's choices) are `null` with a
/// `TODO` so loading the draft points at each until it is filled in; values the audit's own
/// manifest stated (name, licence, commercial use) are carried over.
public enum ManifestDraft {
    /// The parts of a `pedigree.audit/2` report a draft needs. Decoded on its own, not as the
    /// full report type, so the draft keeps working as the report gains fields.
    struct Audit: Decodable {
        struct Candidate: Decodable { var path: String }
        struct Release: Decodable {
            var name: String
            var version: String?
            var file: String?
            var declaredBases: [String]
            var licence: String?
            var commercialUse: Bool?
        }
        struct Inherited: Decodable { var id: String; var via: [String] }
        struct Check: Decodable { var id: String; var licence: String; var severity: String; var status: String }
        var schema: String
        var candidate: Candidate
        var release: Release?
        var inheritance: [Inherited]
        var obligations: [Check]
    }

    public struct Draft: Sendable {
        public var yaml: String
        /// Fields left as TODO, in file order.
        public var todo: [String]
    }

    public static func draft(auditJSON data: Data, path: String, policies: PolicySet) throws(AuthoringError) -> Draft {
        let audit: Audit
        do { audit = try PedigreeJSON.decoder().decode(Audit.self, from: data) } catch {
            throw .badAudit(path: path, reason: Self.describe(error))
        }
        guard audit.schema.hasPrefix("pedigree.audit/") else { throw .badAudit(path: path, reason: "schema is '\(audit.schema)'") }
        return draft(audit, policies: policies)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.dataCorrupted(let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)".trimmingCharacters(in: .whitespaces)
        default:
            return "not valid JSON"
        }
    }

    /// One obligation the draft's field answers.
    struct Need {
        var obligation: Obligation
        var licence: String
        var condition: Obligation.MetBy
        var comment: String {
            let value = switch condition.field.kind {
            case .licence: "a licence it allows"
            case .flag: condition.when.rawValue
            case .disclosure: "a link or path"
            }
            return ManifestDraft.commentSafe("\(obligation.id) (\(licence), \(obligation.severity.rawValue)) needs \(value): \(obligation.summary)")
        }
    }

    static func draft(_ audit: Audit, policies: PolicySet) -> Draft {
        var needs: [ManifestField: [Need]] = [:]
        for check in audit.obligations where ["met", "unmet", "unverifiable"].contains(check.status) {
            guard let obligation = policies.licence(check.licence)?.obligations.first(where: { $0.id == check.id }) else { continue }
            for condition in obligation.metBy { needs[condition.field, default: []].append(Need(obligation: obligation, licence: check.licence, condition: condition)) }
        }
        let detected = audit.inheritance.filter { $0.via.count == 1 }.map(\.id).filter { policies.model($0) != nil }
        var lines = ["# Release manifest drafted by `pedigree manifest init` from an audit of \(commentSafe(audit.candidate.path)).",
                     "# Fill in every TODO (each comment names the obligation and the licence asking for it),",
                     "# then run the audit again with --release. Field reference: Policies/README.md."]
        var todo: [String] = []
        func comments(_ field: ManifestField, indent: String = "") -> [String] {
            (needs[field] ?? []).map { indent + "# " + $0.comment }
        }
        let stem = ((audit.candidate.path as NSString).lastPathComponent as NSString).deletingPathExtension
        lines.append("name: " + quote(audit.release?.name ?? stem))
        if let version = audit.release?.version { lines.append("version: " + quote(version)) } else {
            lines.append("version: null  # TODO your release's version, e.g. \"1.0\""); todo.append("version")
        }
        lines.append("file: " + quote(audit.release?.file ?? audit.candidate.path))
        let bases = detected.isEmpty ? (audit.release?.declaredBases ?? []) : detected
        if bases.isEmpty {
            lines.append("bases: []  # TODO the policy model ids this release is built from (the audit found none)"); todo.append("bases")
        } else {
            lines.append("bases: [\(bases.map(quote).joined(separator: ", "))]  # detected by the audit")
        }
        // The licence: kept when no inherited licence forbids it, else a TODO listing those none
        // forbids ("needs review" verdicts stay warnings in the audit, as they are there).
        let allowed = policies.licences.map(\.id).filter { candidate in
            detected.allSatisfy { base in DerivativeLicenceCheck.check(chosen: candidate, for: base, in: policies).allSatisfy { $0.verdict != .notAllowed } }
        }
        lines += comments(.licence)
        if let chosen = audit.release?.licence, !chosen.isEmpty, allowed.contains(chosen) {
            lines.append("licence: \(quote(chosen))")
        } else {
            let previous = audit.release?.licence.map { " (\(commentSafe($0)) is not allowed)" } ?? ""
            let choices = allowed.isEmpty ? "no licence in the policy set is allowed by all of them" : "one of: " + allowed.joined(separator: ", ")
            lines.append("licence: null  # TODO\(previous) \(choices)"); todo.append("licence")
        }
        let flags: [(ManifestField, Bool, Bool?)] = [
            (.commercialUse, true, audit.release?.commercialUse), (.weightsPublished, true, nil),
            (.licenceCopyIncluded, true, nil), (.useRestrictionsPassedOn, true, nil),
            (.changesStated, false, nil), (.noticesRetained, false, nil),
        ]
        for (field, required, known) in flags where required || needs[field] != nil {
            lines += comments(field)
            let expected = needs[field]?.first.map { $0.condition.when.rawValue }
            if let known {
                let note = expected.map { $0 == String(known) ? "" : "  # TODO needs \($0)" } ?? ""
                if !note.isEmpty { todo.append(field.rawValue) }
                lines.append("\(field.rawValue): \(known)\(note)")
            } else {
                lines.append("\(field.rawValue): null  # TODO true or false\(expected.map { " (needs \($0))" } ?? "")")
                todo.append(field.rawValue)
            }
        }
        let disclosures: [ManifestField] = [.recipe, .prompts, .workflows, .trainingData, .loras]
        let wanted = disclosures.filter { needs[$0] != nil }
        if !wanted.isEmpty {
            lines.append("disclosures:")
            for field in wanted {
                let key = String(field.rawValue.dropFirst("disclosures.".count))
                lines += comments(field, indent: "  ")
                lines.append(field == .loras ? "  \(key): []  # TODO the LoRAs used (links or names)" : "  \(key): null  # TODO link or path")
                todo.append(field.rawValue)
            }
        }
        return Draft(yaml: lines.joined(separator: "\n") + "\n", todo: todo)
    }

    /// Text for a YAML comment: one line, no control characters (a newline in a summary or a
    /// hostile file name would otherwise end the comment and inject YAML).
    static func commentSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// A YAML double-quoted scalar (JSON string escapes are valid YAML), so any name is safe.
    static func quote(_ text: String) -> String {
        let escaped = ScalarEscaping.escape(text) { scalar in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                ScalarEscaping.unicodeEscape(scalar, uppercase: true)
            default: nil
            }
        }
        return "\"" + escaped + "\""
    }
}
