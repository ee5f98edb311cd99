import PedigreeCompute
import PedigreeFormat
import PedigreePolicy

/// Matches what a checkpoint declares against the policies (by hash where the file records
/// one, else by name) and reads each declared model against the measured lineage.
public struct DeclaredLineageResolver: Sendable {
    public let policies: PolicySet

    public init(policies: PolicySet) { self.policies = policies }

    /// - Parameters:
    ///   - inherited: every model the weights show (direct and ancestors: `inheritsFrom`).
    ///   - compared: the compared references' ids.
    public func report(_ declared: DeclaredLineage, inherited: [String], compared: [String]) -> DeclaredLineageReport {
        let measurable = Set(compared + compared.flatMap { policies.lineage.ancestors(of: $0).map(\.id) })
        let models = declared.models.map { model -> ResolvedDeclaration in
            guard let (id, how) = resolve(model) else {
                return ResolvedDeclaration(declared: model, policyId: nil, matchedBy: nil, status: .unresolved)
            }
            let status: DeclarationStatus = inherited.contains(id) ? .confirmed : measurable.contains(id) ? .contradicted : .notCompared
            return ResolvedDeclaration(declared: model, policyId: id, matchedBy: how, status: status)
        }
        return declared.withModels(models)
    }

    /// The policy model a declaration names: by full hash, by short hash, then by name.
    func resolve(_ model: DeclaredModel) -> (String, DeclarationMatch)? {
        if let sha = model.sha256 {
            if let hit = policies.models.first(where: { $0.files.contains { $0.sha256?.lowercased() == sha } }) { return (hit.id, .sha256) }
        }
        if let short = model.shortHash, short.count == 10 {
            if let hit = policies.models.first(where: { m in
                m.files.contains { $0.autov2?.lowercased() == short || $0.sha256?.lowercased().hasPrefix(short) == true }
            }) { return (hit.id, .autov2) }
        }
        if let name = model.name {
            let wanted = Self.normalized(name)
            guard !wanted.isEmpty else { return nil }
            if let hit = policies.models.first(where: { m in Self.names(of: m).contains(wanted) }) { return (hit.id, .name) }
        }
        return nil
    }

    /// Every spelling of a model a file might use, normalised.
    static func names(of model: BaseModel) -> Set<String> {
        var names = [model.id, model.name] + model.aliases + model.files.map(\.name)
        if let repo = model.huggingfaceRepo {
            names.append(repo)
            names.append(String(repo.split(separator: "/").last ?? ""))
        }
        return Set(names.map(normalized).filter { !$0.isEmpty })
    }

    /// Lower-case letters and digits only, without a model file's extension or folders:
    /// "NoobAI-XL-v1.0.safetensors" and "noobai_xl_v1.0" read the same.
    static func normalized(_ name: String) -> String {
        var text = name.lowercased()
        if let slash = text.lastIndex(where: { $0 == "/" || $0 == "\\" }), !text.hasPrefix("http") { text = String(text[text.index(after: slash)...]) }
        for suffix in [".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".sft"] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count))
        }
        return String(text.unicodeScalars.filter { ("a" ... "z").contains($0) || ("0" ... "9").contains($0) }.map(Character.init))
    }
}
