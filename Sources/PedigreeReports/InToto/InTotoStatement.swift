import Foundation
import PedigreeSupport

/// An in-toto Statement v1 (in-toto/attestation `spec/v1/statement.md`): the subject is the
/// checkpoint, named by its SHA-256; the predicate is the audit report or its CycloneDX BOM.
///
/// The predicate is embedded as the very bytes of the report it came from (not re-encoded),
/// so a reader can compare it with the published report file byte for byte.
public enum InTotoStatement {
    public static let type = "https://in-toto.io/Statement/v1"
    /// DSSE `payloadType` for in-toto statements.
    public static let payloadType = "application/vnd.in-toto+json"

    public enum Predicate: String, Sendable, CaseIterable {
        case audit, cyclonedx

        /// `predicateType`. The audit's URI is Pedigree's own, under a reserved domain until
        /// the project has a permanent home; CycloneDX's is the one in-toto lists.
        public var typeURI: String {
            switch self {
            case .audit: "https://pedigree.invalid/attestation/audit/v1"
            case .cyclonedx: "https://cyclonedx.org/bom"
            }
        }

        public init?(typeURI: String) {
            guard let kind = Self.allCases.first(where: { $0.typeURI == typeURI }) else { return nil }
            self = kind
        }
    }

    /// A ResourceDescriptor with the fields Pedigree uses.
    public struct Subject: Sendable, Equatable, Encodable {
        public var name: String
        public var digest: [String: String]
        /// How the file relates to the audit: `pedigree.audited_sha256` (the file the audit
        /// measured), `pedigree.autov3` (the hash of its tensor data), `pedigree.link`
        /// (`audited-file` or `stamped-copy`).
        public var annotations: [String: String]?

        public init(name: String, sha256: String, annotations: [String: String]? = nil) {
            self.name = name
            self.digest = ["sha256": sha256]
            self.annotations = annotations
        }
    }

    /// The statement's bytes: compact JSON, `_type`, `subject`, `predicateType`, then the
    /// predicate exactly as given. `predicate` must be one JSON object.
    public static func render(subject: Subject, predicate: Predicate, predicateJSON: Data) throws -> Data {
        guard (try? JSONSerialization.jsonObject(with: predicateJSON)) is [String: Any] else {
            throw AuditInputError.notJSON(path: "(predicate)", reason: "the predicate is not a JSON object")
        }
        let encoder = PedigreeJSON.encoder(keys: .asDeclared, layout: .compact)
        var out = Data("{\"_type\":".utf8)
        out += try encoder.encode(type)
        out += Data(",\"subject\":".utf8)
        out += try encoder.encode([subject])
        out += Data(",\"predicateType\":".utf8)
        out += try encoder.encode(predicate.typeURI)
        out += Data(",\"predicate\":".utf8)
        out += trimmed(predicateJSON)
        out += Data("}".utf8)
        return out
    }

    private static func trimmed(_ data: Data) -> Data {
        let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        var bytes = data[...]
        while let last = bytes.last, space.contains(last) { bytes = bytes.dropLast() }
        while let first = bytes.first, space.contains(first) { bytes = bytes.dropFirst() }
        return Data(bytes)
    }
}
