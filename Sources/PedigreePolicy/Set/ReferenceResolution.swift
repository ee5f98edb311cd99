import Foundation
import PedigreeSupport
import PedigreeYAML

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
    /// An id that is no policy model, alias or Hugging Face repo: a typo would otherwise run
    /// the whole audit and fail as if it had found a compliance problem.
    case unknownId(id: String, option: String, suggestion: String?, policyFolder: String)
    /// `--ref PATH` with no id: a file where an id belongs.
    case pathWithoutId(argument: String, suggestion: String?)
    /// No `--ref`, and a model of the policies' default reference set has no fingerprint.
    case defaultWithoutFingerprint(id: String, policyFolder: String)
    /// `--other LABEL=PATH` whose label is, or nearly is, a policy model's id or alias: a
    /// policy model is compared with `--ref`, which carries its licence.
    case otherLabelIsPolicyModel(label: String, model: String, exact: Bool)

    public var code: String {
        switch self {
        case .noFile: "RF001"
        case .unknownId: "RF002"
        case .pathWithoutId: "RF003"
        case .defaultWithoutFingerprint: "RF004"
        case .otherLabelIsPolicyModel: "RF005"
        }
    }

    public var message: String {
        switch self {
        case .noFile(let id, let folder):
            "reference '\(id)': no path given and no fingerprint at \(folder)/fingerprints/\(id).safetensors; use --ref \(id)=PATH or create one with `pedigree fingerprint`"
        case .unknownId(let id, let option, let suggestion, let folder):
            "\(option) '\(id)': not a model id, alias or Hugging Face repo in the policies at \(folder)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "; `pedigree policy list` shows the models")
        case .pathWithoutId(let argument, let suggestion):
            "--ref '\(argument)' looks like a file, not a model id: name the model it is, --ref \(suggestion ?? "ID")=\(argument)"
        case .defaultWithoutFingerprint(let id, let folder):
            "no --ref given, and the policies' default reference '\(id)' (classification.yaml default_references) has no fingerprint at \(folder)/fingerprints/\(id).safetensors: make it with `pedigree fingerprint CHECKPOINT --id \(id) -o \(folder)/fingerprints/\(id).safetensors`, or give the references with --ref ID=PATH"
        case .otherLabelIsPolicyModel(let label, let model, let exact):
            exact
                ? "--other '\(label)': '\(model)' is a model of the policies; compare it with --ref \(model)=PATH, which carries its licence, or choose another label"
                : "--other '\(label)': too close to the policy model '\(model)'; did you mean --ref \(model)=PATH? (or choose a label no policy model resembles)"
        }
    }
}

extension PolicySet {
    /// The policy model id an id, alias or Hugging Face repo names; a did-you-mean error
    /// otherwise. `option` names the flag in the message (`--ref`, `--edge`).
    public func canonicalModelId(_ name: String, option: String) throws(ReferenceError) -> String {
        if let model = model(matching: name) { return model.id }
        let fileEndings = [".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".sft"]
        if fileEndings.contains(where: { name.lowercased().hasSuffix($0) }) || FileManager.default.fileExists(atPath: name) {
            throw .pathWithoutId(argument: name, suggestion: nil)
        }
        let names = models.map(\.id) + models.flatMap(\.aliases)
        let suggestion = DidYouMean.suggestion(for: name, among: names).flatMap { model(matching: $0)?.id }
        throw .unknownId(id: name, option: option, suggestion: suggestion, policyFolder: folder)
    }
}

extension PolicySet {
    /// Refuses an `--other` label that equals or nearly equals (within did-you-mean's
    /// distance) a policy model's id or alias: that model belongs under `--ref`. Labels
    /// shorter than four characters are refused only when equal: one edit away from a short
    /// alias (`v1` from Pony's `v6`) is a label of one's own, not a typo.
    public func checkOtherLabel(_ label: String) throws(ReferenceError) {
        if let model = model(matching: label) { throw .otherLabelIsPolicyModel(label: label, model: model.id, exact: true) }
        guard label.count >= 4 else { return }
        let names = models.map(\.id) + models.flatMap(\.aliases)
        if let near = DidYouMean.suggestion(for: label, among: names), let model = model(matching: near) {
            throw .otherLabelIsPolicyModel(label: label, model: model.id, exact: false)
        }
    }
}

extension PolicySet {
    /// The default reference set as (id, fingerprint) pairs, for an audit given no `--ref`;
    /// empty when the policies name none.
    public func resolveDefaultReferences() throws(ReferenceError) -> [(id: String, path: String)] {
        var resolved: [(id: String, path: String)] = []
        for id in defaultReferences {
            guard let path = fingerprintPath(for: id) else { throw .defaultWithoutFingerprint(id: id, policyFolder: folder) }
            resolved.append((id, path))
        }
        return resolved
    }

    /// The file for a reference given as `ID` or `ID=PATH`.
    public func resolveReference(id: String, path: String?) throws(ReferenceError) -> String {
        if let path { return path }
        guard let found = fingerprintPath(for: id) else { throw .noFile(id: id, policyFolder: folder) }
        return found
    }
}
