import PedigreeSupport

/// Keys, envelopes and statements that cannot be used: bad input (exit 2). A signature or
/// digest that does not match is not an error but a verification result (exit 1).
public enum AttestError: PedigreeError, Equatable {
    case notAKey(path: String, reason: String)
    case wrongKeyKind(path: String, expected: String, found: String)
    case envelope(path: String, field: String, reason: String)
    case statement(path: String, field: String, reason: String)
    case tooLarge(path: String, limit: Int)
    case signingFailed(reason: String)

    public var code: String {
        switch self {
        case .notAKey: "AT001"
        case .wrongKeyKind: "AT002"
        case .envelope: "AT003"
        case .statement: "AT004"
        case .tooLarge: "AT005"
        case .signingFailed: "AT006"
        }
    }

    public var message: String {
        switch self {
        case .notAKey(let path, let reason): "\(path): not an Ed25519 key file: \(reason)"
        case .wrongKeyKind(let path, let expected, let found):
            "\(path): expected \(expected), found \(found)"
        case .envelope(let path, let field, let reason): "\(path): \(field): \(reason) (not a DSSE envelope Pedigree can read)"
        case .statement(let path, let field, let reason): "\(path): payload \(field): \(reason) (not an in-toto Statement v1)"
        case .tooLarge(let path, let limit): "\(path): larger than \(limit >> 20) MB"
        case .signingFailed(let reason): "signing failed: \(reason)"
        }
    }
}
