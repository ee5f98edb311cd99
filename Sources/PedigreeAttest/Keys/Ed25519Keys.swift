import Crypto
import Foundation
import PedigreeSupport

/// Ed25519 keys in the files every tool reads: PKCS#8 (`BEGIN PRIVATE KEY`) and
/// SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`) PEM, as `openssl genpkey -algorithm ed25519`
/// writes them and Python's `cryptography` loads them. For Ed25519 both DER forms are a
/// fixed prefix (RFC 8410) followed by the 32 key bytes, so they are written and checked
/// byte for byte rather than through a general ASN.1 parser.
public enum Ed25519Keys {
    /// RFC 8410 §7: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }.
    static let privatePrefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
    /// RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits, 32 bytes) }.
    static let publicPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    static let privateLabel = "PRIVATE KEY"
    static let publicLabel = "PUBLIC KEY"
    /// No key file is larger; bounds what a hostile path can make us read.
    static let maxFileBytes = 64 << 10

    public static func generate() -> Curve25519.Signing.PrivateKey { Curve25519.Signing.PrivateKey() }

    public static func privatePEM(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: privateLabel, der: privatePrefix + [UInt8](key.rawRepresentation))
    }

    public static func publicPEM(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: publicLabel, der: publicPrefix + [UInt8](key.rawRepresentation))
    }

    /// The key id written into envelopes: lower-case hex SHA-256 of the 32 public-key bytes.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    public static func readPrivate(path: String) throws -> Curve25519.Signing.PrivateKey {
        try readKey(path: path, label: privateLabel, prefix: privatePrefix, kind: "private key (BEGIN PRIVATE KEY)",
                    name: "Ed25519 private key", standard: "PKCS#8, RFC 8410", make: { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) })
    }

    public static func readPublic(path: String) throws -> Curve25519.Signing.PublicKey {
        try readKey(path: path, label: publicLabel, prefix: publicPrefix, kind: "public key (BEGIN PUBLIC KEY)",
                    name: "Ed25519 public key", standard: "SubjectPublicKeyInfo, RFC 8410", make: { try Curve25519.Signing.PublicKey(rawRepresentation: $0) })
    }

    /// One PEM key of the expected `label`, whose DER is `prefix` followed by the 32 key bytes.
    /// A private key given where a public one belongs gets its own advice: it must not travel.
    private static func readKey<Key>(path: String, label expected: String, prefix: [UInt8], kind: String, name: String,
                                     standard: String, make: (ArraySlice<UInt8>) throws -> Key) throws -> Key {
        let (label, der) = try readPEM(path: path)
        if expected == publicLabel, label == privateLabel {
            throw AttestError.wrongKeyKind(path: path, expected: "a \(kind)", found: "a private key; give its .pub file, and keep the private key to yourself")
        }
        guard label == expected else {
            throw AttestError.wrongKeyKind(path: path, expected: "a \(kind)", found: "'\(TerminalEscaping.excerpt(label))' PEM")
        }
        guard der.count == prefix.count + 32, der.starts(with: prefix) else {
            throw AttestError.wrongKeyKind(path: path, expected: "an \(name) (\(standard))", found: "another key type or encoding")
        }
        do { return try make(der.suffix(32)) } catch {
            throw AttestError.notAKey(path: path, reason: "the key bytes are not a valid \(name)")
        }
    }

    static func pem(label: String, der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The label and DER bytes of the single PEM block in `path`.
    static func readPEM(path: String) throws -> (label: String, der: [UInt8]) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw FileAccessError.isDirectory(path: path)
            }
            throw FileAccessError.cannotOpen(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxFileBytes + 1) ?? Data() } catch {
            throw FileAccessError.cannotRead(path: path, reason: error.localizedDescription)
        }
        guard data.count <= maxFileBytes else { throw AttestError.tooLarge(path: path, limit: maxFileBytes) }
        guard let text = String(data: data, encoding: .utf8) else { throw AttestError.notAKey(path: path, reason: "not text") }
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = lines.first, first.hasPrefix("-----BEGIN "), first.hasSuffix("-----"), first.count > 16 else {
            throw AttestError.notAKey(path: path, reason: "no '-----BEGIN …-----' line")
        }
        let label = String(first.dropFirst(11).dropLast(5))
        guard lines.last == "-----END \(label)-----", lines.count >= 3 else {
            throw AttestError.notAKey(path: path, reason: "no matching '-----END \(TerminalEscaping.excerpt(label))-----' line")
        }
        let body = lines[1 ..< lines.count - 1].joined()
        guard let der = Data(base64Encoded: body), der.base64EncodedString() == body else {
            throw AttestError.notAKey(path: path, reason: "the PEM body is not base64")
        }
        return (label, [UInt8](der))
    }
}
