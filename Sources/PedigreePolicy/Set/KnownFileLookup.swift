/// A file the policy set records for a model.
public struct KnownFileMatch: Sendable, Equatable {
    public var model: BaseModel
    public var file: KnownFile
}

extension PolicySet {
    /// Every `files` entry whose SHA-256 is `sha256` (lower-cased before comparing). A set
    /// never records one SHA-256 for two models (PO019), so all matches are one model's:
    /// one file under several names, or one value of a file whose values conflict.
    public func knownFiles(sha256: String) -> [KnownFileMatch] {
        let digest = sha256.lowercased()
        guard digest.count == 64 else { return [] }
        return models.flatMap { model in
            model.files.filter { $0.sha256 == digest }.map { KnownFileMatch(model: model, file: $0) }
        }
    }
}
