import Crypto
import Foundation
import PedigreeSupport

/// Dead Simple Signing Envelope (secure-systems-lab/dsse, protocol v1): the signature covers
/// the pre-authentication encoding of the payload type and the payload, never the JSON
/// around them, so no JSON canonicalisation is needed to verify.
public enum DSSE {
    /// `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is
    /// the byte length in ASCII decimal without leading zeros.
    public static func pae(payloadType: String, payload: Data) -> Data {
        let type = Data(payloadType.utf8)
        var out = Data("DSSEv1 \(type.count) ".utf8)
        out += type
        out += Data(" \(payload.count) ".utf8)
        out += payload
        return out
    }

    public struct Signature: Sendable, Equatable {
        public var keyid: String
        public var sig: Data
    }

    public struct Envelope: Sendable, Equatable {
        public var payloadType: String
        public var payload: Data
        public var signatures: [Signature]
    }

    /// Signs `payload` and returns the envelope's bytes: compact JSON with no insignificant
    /// whitespace, so every byte of it carries meaning (a changed byte cannot go unnoticed).
    public static func sign(payload: Data, payloadType: String, key: Curve25519.Signing.PrivateKey) throws -> Data {
        let signature: Data
        do { signature = try key.signature(for: pae(payloadType: payloadType, payload: payload)) } catch {
            throw AttestError.signingFailed(reason: "\(error)")
        }
        let keyid = Ed25519Keys.keyID(key.publicKey)
        let encoder = PedigreeJSON.encoder(keys: .asDeclared, layout: .compact)
        struct Wire: Encodable {
            struct Sig: Encodable { var keyid: String; var sig: String }
            var payload: String
            var payloadType: String
            var signatures: [Sig]
        }
        return try encoder.encode(Wire(payload: payload.base64EncodedString(), payloadType: payloadType,
                                       signatures: [.init(keyid: keyid, sig: signature.base64EncodedString())]))
    }

    /// Envelopes larger than this are refused before parsing.
    public static let maxEnvelopeBytes = 64 << 20

    /// Reads an envelope strictly: exactly the fields DSSE defines, standard base64 in its
    /// canonical form (so no two spellings of one envelope exist), at least one signature.
    public static func parse(_ data: Data, path: String) throws(AttestError) -> Envelope {
        guard data.count <= maxEnvelopeBytes else { throw .tooLarge(path: path, limit: maxEnvelopeBytes) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .envelope(path: path, field: "(document)", reason: "not valid JSON")
        }
        guard let top = object as? [String: Any] else { throw .envelope(path: path, field: "(document)", reason: "not a JSON object") }
        if let unknown = top.keys.sorted().first(where: { !["payload", "payloadType", "signatures"].contains($0) }) {
            throw .envelope(path: path, field: TerminalEscaping.excerpt(unknown), reason: "unknown field")
        }
        guard let payloadType = top["payloadType"] as? String else { throw .envelope(path: path, field: "payloadType", reason: "missing or not a string") }
        guard let payloadText = top["payload"] as? String else { throw .envelope(path: path, field: "payload", reason: "missing or not a string") }
        let payload = try base64(payloadText, path: path, field: "payload")
        guard let signatures = top["signatures"] as? [Any], !signatures.isEmpty else {
            throw .envelope(path: path, field: "signatures", reason: "missing, not a list, or empty")
        }
        var parsed: [Signature] = []
        for (index, item) in signatures.enumerated() {
            guard let entry = item as? [String: Any] else { throw .envelope(path: path, field: "signatures[\(index)]", reason: "not an object") }
            if let unknown = entry.keys.sorted().first(where: { !["keyid", "sig"].contains($0) }) {
                throw .envelope(path: path, field: "signatures[\(index)].\(TerminalEscaping.excerpt(unknown))", reason: "unknown field")
            }
            guard let sigText = entry["sig"] as? String else { throw .envelope(path: path, field: "signatures[\(index)].sig", reason: "missing or not a string") }
            let keyid: String
            switch entry["keyid"] {
            case nil: keyid = ""
            case let text as String: keyid = text
            default: throw .envelope(path: path, field: "signatures[\(index)].keyid", reason: "not a string")
            }
            parsed.append(Signature(keyid: keyid, sig: try base64(sigText, path: path, field: "signatures[\(index)].sig")))
        }
        return Envelope(payloadType: payloadType, payload: payload, signatures: parsed)
    }

    /// The signature made by `key`, if one verifies. A signature naming another key id is
    /// not tried (and one naming none is): the key id is a hint DSSE leaves unsigned, but a
    /// wrong one means the envelope was not made for this key or was altered.
    public static func verifiedSignature(_ envelope: Envelope, key: Curve25519.Signing.PublicKey) -> Signature? {
        let keyid = Ed25519Keys.keyID(key)
        let message = pae(payloadType: envelope.payloadType, payload: envelope.payload)
        return envelope.signatures.first { signature in
            (signature.keyid.isEmpty || signature.keyid == keyid) && key.isValidSignature(signature.sig, for: message)
        }
    }

    private static func base64(_ text: String, path: String, field: String) throws(AttestError) -> Data {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else {
            throw .envelope(path: path, field: field, reason: "not canonical standard base64")
        }
        return data
    }
}
