import PedigreeSupport

/// Problems with a comparison request as a whole (file-level problems are
/// `SafetensorsError` / `FileAccessError` and keep their own codes).
public enum ComputeError: PedigreeError, Equatable {
    case noReferences
    case tooManyFiles(count: Int, limit: Int)
    case duplicateReference(id: String)
    case nothingToCompare(candidate: String, reason: String)
    case unreadableCompareResult(path: String, reason: String)
    /// A LoRA needs a base's full weights to be applied to.
    case loraBase(candidate: String, reason: String)

    public var code: String {
        switch self {
        case .noReferences: "CP001"
        case .tooManyFiles: "CP002"
        case .duplicateReference: "CP003"
        case .nothingToCompare: "CP004"
        case .unreadableCompareResult: "CP005"
        case .loraBase: "CP006"
        }
    }

    public var message: String {
        switch self {
        case .noReferences: "at least one reference is needed (--ref ID=PATH)"
        case .tooManyFiles(let count, let limit): "\(count) files given; one pass compares at most \(limit) (candidate + \(limit - 1) references)"
        case .duplicateReference(let id): "reference id '\(id)' is given twice"
        case .nothingToCompare(let candidate, let reason): "\(candidate): no tensor to compare: \(reason)"
        case .unreadableCompareResult(let path, let reason): "\(path): not a Pedigree compare result: \(reason)"
        case .loraBase(let candidate, let reason): "\(candidate): a LoRA is measured applied to a base among the references: \(reason)"
        }
    }
}
