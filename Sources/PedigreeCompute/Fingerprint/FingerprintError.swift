import PedigreeSupport

public enum FingerprintError: PedigreeError, Equatable {
    case unsupportedFormat(path: String, found: String)
    case unsupportedSampling(path: String, found: String)
    case missingMetadata(path: String, key: String)
    case badMetadata(path: String, key: String, reason: String)
    case tensorMismatch(path: String, name: String, reason: String)
    case samplingMismatch(path: String, other: String)
    case architectureMismatch(path: String, fingerprint: String, candidate: String)
    case badRate(rate: Double)
    /// `--spectral-ancestor` given something other than two full checkpoints.
    case spectralSource(path: String, reason: String)

    public var code: String {
        switch self {
        case .unsupportedFormat: "FP001"
        case .unsupportedSampling: "FP002"
        case .missingMetadata: "FP003"
        case .badMetadata: "FP004"
        case .tensorMismatch: "FP005"
        case .samplingMismatch: "FP006"
        case .architectureMismatch: "FP007"
        case .badRate: "FP008"
        case .spectralSource: "FP009"
        }
    }

    public var message: String {
        switch self {
        case .unsupportedFormat(let p, let found):
            "\(p): fingerprint format '\(found)' is not supported by this Pedigree (expected 1); regenerate it with `pedigree fingerprint`"
        case .unsupportedSampling(let p, let found):
            "\(p): fingerprint sampling '\(found)' is not supported (expected \(ColumnSampling.version)); regenerate it with `pedigree fingerprint`"
        case .missingMetadata(let p, let key): "\(p): fingerprint metadata '\(key)' is missing"
        case .badMetadata(let p, let key, let reason): "\(p): fingerprint metadata '\(key)' \(reason)"
        case .tensorMismatch(let p, let name, let reason): "\(p): tensor '\(name)': \(reason)"
        case .samplingMismatch(let p, let other):
            "\(p): sampled with other settings (rate, seed or version) than \(other); fingerprints compare only when sampled alike"
        case .architectureMismatch(let p, let fingerprint, let candidate):
            "\(p): fingerprint of a \(fingerprint) checkpoint cannot be compared with a \(candidate) checkpoint"
        case .badRate(let rate): "sampling rate \(rate) must be greater than 0 and at most 1"
        case .spectralSource(let p, let reason): "\(p): cannot make a spectral sample from it: \(reason)"
        }
    }
}
