import Foundation
import PedigreeFormat
import PedigreeLineage
import PedigreeSupport

/// `pedigree identify`'s output: per path, the known model and file it is (or none), and the
/// hashes the file declares about itself, shown apart as hints.
public enum IdentifyRenderer {
    public static let schema = "pedigree.identify/1"

    /// One failed path: the one-line error, with its code.
    public struct Failure: Sendable, Codable, Equatable {
        public var path: String
        public var code: String
        public var error: String
        public init(path: String, code: String, error: String) { self.path = path; self.code = code; self.error = error }
    }

    struct Document: Codable {
        var schema: String
        var files: [FileIdentification]
        var errors: [Failure]
        var known: Int
        var unknown: Int
    }

    public static func json(_ files: [FileIdentification], errors: [Failure]) throws -> String {
        let known = files.filter { $0.identity != nil }.count
        return try PedigreeJSON.string(Document(schema: schema, files: files, errors: errors, known: known, unknown: files.count - known))
    }

    public static func text(_ files: [FileIdentification], errors: [Failure]) -> String {
        let safe = TerminalEscaping.escape
        var out: [String] = []
        for file in files {
            if let identity = file.identity {
                out.append("KNOWN    \(safe(file.path))")
                out.append("  is       \(identity.modelName) — \(identityLine(identity))")
                if let sha = file.sha256 { out.append("  sha256   \(sha)") }
                if !identity.otherNames.isEmpty { out.append("  also     \(identity.otherNames.map(safe).joined(separator: ", "))") }
                if let revision = identity.revision { out.append("  revision \(revision) (Hugging Face)") }
                if let civitai = identity.civitai { out.append("  civitai  \(civitaiText(civitai))") }
                if !identity.conflictsWith.isEmpty {
                    out.append("  conflict other values are recorded for this file: \(identity.conflictsWith.map { String($0.prefix(12)) + "…" }.joined(separator: ", "))")
                }
                out.append("  source   \(safe(identity.source))")
            } else if file.kind == .composite {
                out.append("NONE     \(safe(file.path))")
                if let note = file.note { out.append("  \(note)") }
            } else {
                out.append("NONE     \(safe(file.path))")
                if let sha = file.sha256 { out.append("  sha256   \(sha) — no file the policies record") }
            }
            if !file.declared.isEmpty {
                out.append("  Declared by the file (a hint, not its identity: merge tools copy it into merges)")
                for hash in file.declared {
                    let names = hash.names.map { " — the SHA-256 the policies record for \($0.model) (\($0.file))" } ?? ""
                    out.append("    \(hash.key): \(hash.value)\(names)")
                }
            }
        }
        for failure in errors { out.append("ERROR    \(safe(failure.path)): [\(failure.code)]") }
        let known = files.filter { $0.identity != nil }.count
        out.append("\(files.count + errors.count) path\(files.count + errors.count == 1 ? "" : "s"): \(known) known, \(files.count - known) not known\(errors.isEmpty ? "" : ", \(errors.count) unreadable")")
        return out.joined(separator: "\n")
    }

    /// "sdxl-base-1.0 (sd_xl_base_1.0.safetensors; secondary, corroborated)", escaped.
    public static func identityLine(_ identity: KnownIdentity) -> String { TerminalEscaping.escape(identity.summary) }

    static func civitaiText(_ ids: KnownIdentity.Civitai) -> String {
        var parts = ["model \(ids.model)"]
        if let version = ids.version { parts.append("version \(version)") }
        if let file = ids.file { parts.append("file \(file)") }
        return parts.joined(separator: ", ")
    }
}
