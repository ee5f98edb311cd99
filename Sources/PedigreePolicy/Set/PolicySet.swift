import PedigreeYAML

/// A loaded, cross-checked policy set: every reference resolves, no id is defined twice,
/// lineage and `extends` have no cycles, bands are ordered. Only `PolicySet.assemble` makes
/// one, so code holding a `PolicySet` can follow references without checking again.
public struct PolicySet: Sendable {
    public let folder: String
    /// In file-name order.
    public let licences: [Licence]
    public let models: [BaseModel]
    public let classification: ClassificationSettings
    public let lineage: LineageGraph
    /// Where the set was read from and its digest; nil for a set assembled in memory.
    public internal(set) var identity: PolicySetIdentity?
    /// The canonical ids of classification.yaml's `default_references` (empty: none named).
    public internal(set) var defaultReferences: [String] = []
    /// classification.yaml's `source_hosts` (empty: not set, no host is checked).
    public internal(set) var sourceHosts = SourceHostList.none
    private let licenceIndex: [String: Licence]
    private let modelIndex: [String: BaseModel]

    public func licence(_ id: String) -> Licence? { licenceIndex[id] }
    public func model(_ id: String) -> BaseModel? { modelIndex[id] }

    /// The model an id, alias, Hugging Face repo or file name refers to.
    public func model(matching name: String) -> BaseModel? {
        if let model = modelIndex[name] { return model }
        let lower = name.lowercased()
        return models.first { model in
            model.aliases.contains { $0.lowercased() == lower }
                || model.huggingfaceRepo?.lowercased() == lower
                || model.files.contains { $0.name.lowercased() == lower }
        }
    }

    /// Licences a Hugging Face card's fields point at. Add-on terms (NoobAI, Illustrious)
    /// usually appear on cards under their base licence's name, so when several match, the
    /// ones that extend nothing are preferred; callers decide what an ambiguity means.
    public func licences(huggingFaceLicense license: String?, name: String?, link: String?) -> [Licence] {
        let wanted = [name, license].compactMap { $0?.lowercased() }.filter { $0 != "other" }
        let matches = licences.filter { licence in
            let hf = licence.identifiers.huggingface
            if let link, let own = hf.licenseLink, own == link { return true }
            return hf.allNames.contains { wanted.contains($0.lowercased()) }
        }
        let bases = matches.filter { $0.extends == nil }
        return bases.isEmpty ? matches : bases
    }

    /// The chain `id → extends → …` (the licence first). Stops on a repeat, though an
    /// assembled set never has one.
    public func extendsChain(of id: String) -> [Licence] {
        var chain: [Licence] = []
        var current = licenceIndex[id]
        while let licence = current, !chain.contains(where: { $0.id == licence.id }) {
            chain.append(licence)
            current = licence.extends.flatMap { licenceIndex[$0] }
        }
        return chain
    }

    /// Cross-checks parsed files into a set, reporting every problem found.
    public static func assemble(folder: String, licences: [Licence], models: [BaseModel],
                                classification: ClassificationSettings,
                                bandBoundNodes: [YAMLNode] = []) -> Result<PolicySet, PolicyProblems> {
        var errors: [PolicyError] = []
        var licenceIndex: [String: Licence] = [:]
        for licence in licences {
            if let first = licenceIndex[licence.id] {
                errors.append(.duplicateId(kind: "licence", id: licence.id, at: licence.location, firstAt: first.location))
            } else { licenceIndex[licence.id] = licence }
        }
        var modelIndex: [String: BaseModel] = [:]
        for model in models {
            if let first = modelIndex[model.id] {
                errors.append(.duplicateId(kind: "model", id: model.id, at: model.location, firstAt: first.location))
            } else { modelIndex[model.id] = model }
        }
        let licenceIds = licenceIndex.keys.sorted()
        let modelIds = modelIndex.keys.sorted()
        func missingLicence(_ id: String, _ field: String, _ at: SourceLocation) {
            guard licenceIndex[id] == nil else { return }
            errors.append(.danglingReference(kind: "licence", id: id, field: field, at: at,
                                             suggestion: DidYouMean.suggestion(for: id, among: licenceIds)))
        }
        for licence in licences {
            if let parent = licence.extends { missingLicence(parent, "extends", licence.extendsLocation ?? licence.location) }
            for (index, allowed) in licence.derivatives.allowed.enumerated() {
                missingLicence(allowed, "derivatives.allowed[\(index)]", licence.derivatives.allowedLocations[index])
            }
        }
        for model in models {
            missingLicence(model.licence.id, "licence.id", model.licence.location)
            for (index, edge) in model.parents.enumerated() where modelIndex[edge.id] == nil {
                errors.append(.danglingReference(kind: "model", id: edge.id, field: "parents[\(index)].id", at: edge.location,
                                                 suggestion: DidYouMean.suggestion(for: edge.id, among: modelIds)))
            }
        }
        errors += fileHashProblems(models)
        errors += extendsCycles(licenceIndex)
        let graph = LineageGraph(models: Array(modelIndex.values))
        for cycle in graph.cycles() {
            errors.append(.lineageCycle(path: cycle.path, field: "parents", at: cycle.closingEdge.location))
        }
        for (index, band) in classification.bands.enumerated().dropFirst() {
            let previous = classification.bands[index - 1].lowerBound
            guard band.lowerBound >= previous else { continue }
            let at = index < bandBoundNodes.count ? bandBoundNodes[index].location
                : classification.location ?? SourceLocation(file: folder, line: 1, column: 1)
            errors.append(.bandsOutOfOrder(field: "bands[\(index)].lower_bound", at: at,
                                           value: band.lowerBound, previous: previous))
        }
        guard errors.isEmpty else { return .failure(PolicyProblems(errors)) }
        return .success(PolicySet(folder: folder, licences: licences, models: models, classification: classification,
                                  lineage: graph, identity: nil, licenceIndex: licenceIndex, modelIndex: modelIndex))
    }

    /// No SHA-256 recorded for two models (a file is one model), and every `conflicts_with`
    /// names another value recorded for the same model.
    private static func fileHashProblems(_ models: [BaseModel]) -> [PolicyError] {
        var errors: [PolicyError] = []
        var owner: [String: (model: String, at: SourceLocation)] = [:]
        for model in models {
            for file in model.files {
                guard let sha = file.sha256 else { continue }
                let at = file.location ?? model.location
                if let first = owner[sha], first.model != model.id {
                    errors.append(.duplicateHash(sha256: sha, model: model.id, at: at, firstModel: first.model, firstAt: first.at))
                } else if owner[sha] == nil {
                    owner[sha] = (model.id, at)
                }
            }
            let recorded = Set(model.files.compactMap(\.sha256))
            for (index, file) in model.files.enumerated() {
                for other in file.conflictsWith where !recorded.contains(other) {
                    errors.append(.danglingReference(kind: "file of this model with sha256", id: other,
                                                     field: "files[\(index)].conflicts_with", at: file.location ?? model.location,
                                                     suggestion: nil))
                }
            }
        }
        return errors
    }

    private static func extendsCycles(_ index: [String: Licence]) -> [PolicyError] {
        var errors: [PolicyError] = []
        var reported: Set<String> = []
        for id in index.keys.sorted() {
            var path = [id]
            var current = index[id]?.extends
            while let next = current {
                if let start = path.firstIndex(of: next) {
                    let cycle = Array(path[start...]) + [next]
                    if reported.insert(Set(cycle).sorted().joined(separator: ",")).inserted,
                       let closing = index[path[path.count - 1]] {
                        errors.append(.extendsCycle(path: cycle, field: "extends",
                                                    at: closing.extendsLocation ?? closing.location))
                    }
                    break
                }
                path.append(next)
                current = index[next]?.extends
            }
        }
        return errors
    }
}

extension PolicySet {
    /// Takes the default reference set once the models are known: each id (or alias) must
    /// name a model; the errors say which does not, with a did-you-mean.
    mutating func adopt(defaultReferences set: DefaultReferenceSet) -> [PolicyError] {
        var errors: [PolicyError] = []
        var ids: [String] = []
        for (index, id) in set.ids.enumerated() {
            if let model = model(matching: id) {
                if !ids.contains(model.id) { ids.append(model.id) }
            } else {
                errors.append(.danglingReference(kind: "model", id: id, field: "default_references[\(index)]", at: set.locations[index],
                                                 suggestion: DidYouMean.suggestion(for: id, among: models.map(\.id))))
            }
        }
        defaultReferences = ids
        return errors
    }
}
