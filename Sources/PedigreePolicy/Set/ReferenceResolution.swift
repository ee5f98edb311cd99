import Foundation
import PedigreeSupport

extension PolicySet {
    /// Where a policy model's fingerprint lives: the model's `fingerprint:` path (relative
    /// to the policy folder), else `fingerprints/<id>.safetensors` in the policy folder,
    /// when that file exists.
    public func fingerprintPath(for id: String) -> String? {
        var candidates: [String] = []
        if let declared = model(id)?.fingerprint {
            candidates.append(declared.hasPrefix("/") ? declared : folder + "/" + declared)
        }
        candidates.append(folder + "/fingerprints/\(id).safetensors")
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every (ancestor, descendant) pair among `ids` that the lineage graph connects,
    /// directly or through intermediate models: the edges along which delta measures
    /// are meaningful (NoobAI eps 1.0 descends from Illustrious XL v0.1).
    public func lineageEdges(among ids: [String]) -> [(ancestor: String, descendant: String)] {
        ids.flatMap { descendant in
            lineage.ancestors(of: descendant).map(\.id).filter { ids.contains($0) }.map { (ancestor: $0, descendant: descendant) }
        }
    }
}

/// A reference named by id alone that the policies cannot supply a file for.
public enum ReferenceError: PedigreeError, Equatable {
    case noFile(id: String, policyFolder: String)

    public var code: String { "RF001" }

    public var message: String {
        switch self {
        case .noFile(let id, let folder):
            "reference '\(id)': no path given and no fingerprint at \(folder)/fingerprints/\(id).safetensors; use --ref \(id)=PATH or create one with `pedigree fingerprint`"
        }
    }
}

extension PolicySet {
    /// The file for a reference given as `ID` or `ID=PATH`.
    public func resolveReference(id: String, path: String?) throws(ReferenceError) -> String {
        if let path { return path }
        guard let found = fingerprintPath(for: id) else { throw .noFile(id: id, policyFolder: folder) }
        return found
    }
}
