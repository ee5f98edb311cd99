import Crypto
import Foundation
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

/// The part of a `pedigree.audit/2` report that travels with an upload (card, stamp,
/// CycloneDX BOM, attestation), read from the report's JSON.
///
/// It decodes the documented JSON, not the Swift `AuditReport`, and only the top-level
/// fields it needs, tolerating every field it does not know: an audit written by another
/// build (with new fields, or a reworked classifier behind the same schema) still attaches.
public struct AuditDocument: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String?
    }

    public struct Release: Sendable, Equatable, Codable {
        public var name: String
        public var version: String?
        public var declaredBases: [String]?
        public var licence: String?
        public var commercialUse: Bool?
    }

    public struct Lineage: Sendable, Equatable, Codable {
        public var status: LineageVerdict.Status
        public var likelyBase: String?
        public var relation: LineageVerdict.Relation?
        public var summary: String?
        public var borderline: Bool?
    }

    public struct Inherited: Sendable, Equatable, Codable {
        public struct Evidence: Sendable, Equatable, Codable {
            public var rule: String
            public var detail: String?
        }

        public var id: String
        public var name: String?
        public var licence: String?
        public var via: [String]?
        public var evidence: [Evidence]?

        /// A reference the weights were measured against (as opposed to an ancestor the
        /// policies add): its path through the lineage graph is itself alone.
        public var isDirect: Bool { (via ?? [id]).count <= 1 }
    }

    public struct Reference: Sendable, Equatable, Codable {
        public var id: String
        public var name: String?
        public var sha256: String?
        public var kind: String?
        public var meanCosine: Double?
        public var band: String?
        public var borderline: Bool?
    }

    public struct Obligation: Sendable, Equatable, Codable {
        public var id: String
        public var licence: String
        public var summary: String?
        public var status: ObligationCheck.Status
    }

    public struct Finding: Sendable, Equatable, Codable {
        public var code: String
        public var severity: String?
        public var message: String?
    }

    public struct Card: Sendable, Equatable, Codable {
        public var license: String?
        public var licenseName: String?
        public var licenseLink: String?
        public var baseModel: [String]?
        public var baseModelRelation: String?
    }

    public struct Outcome: Sendable, Equatable, Codable {
        public var verdict: Verdict
        public var unmet: Int?
        public var unverifiable: Int?
        public var summary: String?
    }

    public struct Tool: Sendable, Equatable, Codable {
        public var name: String
        public var version: String
    }

    public var schema: String
    public var tool: Tool?
    public var candidate: Candidate
    public var release: Release?
    public var lineage: Lineage
    public var inheritsFrom: [String]
    public var inheritance: [Inherited]
    public var references: [Reference]
    public var obligations: [Obligation]
    public var findings: [Finding]
    public var modelCard: Card
    public var outcome: Outcome
    public var policySet: PolicySetIdentity?
    /// SHA-256 of the JSON bytes this was read from: names the exact report.
    public var sourceDigest: String
    /// Those bytes, so an attestation can carry the report unchanged.
    public var sourceBytes: Data

    /// The audit's verdict, as the report records it.
    public var verdict: Verdict { outcome.verdict }

    /// Licences that reach the weights (from the inherited models), each once, in order.
    public var inheritedLicences: [String] {
        var seen = Set<String>()
        return inheritance.compactMap(\.licence).filter { seen.insert($0).inserted }
    }

    /// The measured bases (references the weights were judged to descend from directly).
    public var measuredBases: [String] { inheritance.filter(\.isDirect).map(\.id) }

    /// A display name for a model id, from what the report itself says.
    public func displayName(of id: String) -> String? {
        inheritance.first { $0.id == id }?.name ?? references.first { $0.id == id }?.name
    }

    /// Bytes accepted: an audit report is a few hundred kilobytes; this bounds a hostile file.
    public static let maxBytes = 64 << 20

    /// Reads and checks an audit report's JSON.
    public static func load(path: String) throws -> AuditDocument {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileAccessError.cannotOpen(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FileAccessError.isDirectory(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileAccessError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxBytes + 1) ?? Data() } catch {
            throw FileAccessError.cannotRead(path: path, reason: "\(error.localizedDescription)")
        }
        guard data.count <= maxBytes else { throw AuditInputError.tooLarge(path: path, limit: maxBytes) }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> AuditDocument {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            throw AuditInputError.notJSON(path: path, reason: Self.jsonReason(error))
        }
        guard let top = object as? [String: Any] else { throw AuditInputError.notAnAudit(path: path, reason: "the top level is not a JSON object") }
        guard let schema = top["schema"] as? String, schema.hasPrefix("pedigree.audit/") else {
            throw AuditInputError.notAnAudit(path: path, reason: "'schema' is not pedigree.audit/N")
        }
        guard schema == AuditReport.currentSchema else { throw AuditInputError.unsupportedSchema(path: path, schema: schema) }
        let wire: Wire
        do { wire = try PedigreeJSON.decoder().decode(Wire.self, from: data) } catch let error as DecodingError {
            throw AuditInputError.field(path: path, field: Self.fieldPath(error), reason: Self.decodingReason(error))
        }
        for (index, reference) in (wire.references ?? []).enumerated() where reference.sha256.map(isSHA256) == false {
            throw AuditInputError.field(path: path, field: "references[\(index)].sha256", reason: "not 64 lower-case hex digits")
        }
        if let sha = wire.candidate.sha256, !isSHA256(sha) {
            throw AuditInputError.field(path: path, field: "candidate.sha256", reason: "not 64 lower-case hex digits")
        }
        if let digest = wire.policySet?.digest.hex, !isSHA256(digest) {
            throw AuditInputError.field(path: path, field: "policy_set.digest", reason: "not 64 lower-case hex digits")
        }
        return AuditDocument(
            schema: schema, tool: wire.tool, candidate: wire.candidate, release: wire.release, lineage: wire.lineage,
            inheritsFrom: wire.inheritsFrom, inheritance: wire.inheritance ?? [], references: wire.references ?? [],
            obligations: wire.obligations ?? [], findings: wire.findings ?? [],
            modelCard: wire.modelCard ?? Card(), outcome: wire.outcome, policySet: wire.policySet,
            sourceDigest: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), sourceBytes: data)
    }

    static func isSHA256(_ text: String) -> Bool { HexDigest.isSHA256(text) }

    /// The fields read, as the JSON spells them (snake_case through the shared decoder).
    private struct Wire: Decodable {
        var tool: Tool?
        var candidate: Candidate
        var release: Release?
        var lineage: Lineage
        var inheritsFrom: [String]
        var inheritance: [Inherited]?
        var references: [Reference]?
        var obligations: [Obligation]?
        var findings: [Finding]?
        var modelCard: Card?
        var outcome: Outcome
        var policySet: PolicySetIdentity?
    }

    private static func fieldPath(_ error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        var out = ""
        for key in path {
            if let index = key.intValue { out += "[\(index)]"; continue }
            out += (out.isEmpty ? "" : ".") + snakeCase(key.stringValue)
        }
        return out.isEmpty ? "(top level)" : out
    }

    private static func decodingReason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound: "missing"
        case .typeMismatch(let type, _): "expected \(type == String.self ? "a string" : type == Int.self ? "an integer" : type == Bool.self ? "a boolean" : "a different type")"
        case .valueNotFound: "null where a value is required"
        // The decoder quotes the offending value: cut and escaped, so the error stays one short line.
        case .dataCorrupted(let context): TerminalEscaping.excerpt(context.debugDescription, limit: 160)
        @unknown default: "invalid"
        }
    }

    private static func jsonReason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
        return String(text.prefix(200))
    }

    private static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}


extension AuditDocument {
    /// The document an in-memory report gives, through its JSON (the same bytes
    /// `audit --format json` prints), so both paths read the same fields.
    public init(report: AuditReport) throws {
        let text = JSONReportRenderer().render(report)
        self = try Self.parse(Data(text.utf8), path: "(audit)")
    }
}

/// An audit report that cannot be attached: unreadable, not an audit, a field missing.
public enum AuditInputError: PedigreeError, Equatable {
    case notJSON(path: String, reason: String)
    case notAnAudit(path: String, reason: String)
    case unsupportedSchema(path: String, schema: String)
    case field(path: String, field: String, reason: String)
    case tooLarge(path: String, limit: Int)

    public var code: String {
        switch self {
        case .notJSON: "AI001"
        case .notAnAudit: "AI002"
        case .unsupportedSchema: "AI003"
        case .field: "AI004"
        case .tooLarge: "AI005"
        }
    }

    public var message: String {
        switch self {
        case .notJSON(let path, let reason): "\(path): not valid JSON: \(reason)"
        case .notAnAudit(let path, let reason): "\(path): not a pedigree audit report: \(reason)"
        case .unsupportedSchema(let path, let schema): "\(path): schema '\(TerminalEscaping.excerpt(schema))' is not one this build reads (\(AuditReport.currentSchema))"
        case .field(let path, let field, let reason): "\(path): \(field): \(reason)"
        case .tooLarge(let path, let limit): "\(path): larger than \(limit >> 20) MB, which no audit report is"
        }
    }
}
