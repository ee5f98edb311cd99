/// One step on the way from a model to the licence an obligation comes from.
public struct InheritancePathStep: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable {
        /// A model in the lineage (the first step is the model asked about).
        case model
        /// The licence the previous model is released under.
        case licence
        /// A licence the previous licence extends.
        case extends
    }

    public var kind: Kind
    public var id: String

    public var description: String {
        switch kind {
        case .model: id
        case .licence: "licence \(id)"
        case .extends: "extends \(id)"
        }
    }
}

/// A licence reached from a model, and how.
public struct ReachedLicence: Codable, Equatable, Sendable {
    public var licence: Licence
    /// The lineage model whose licence this is (or whose licence extends it).
    public var viaModel: String
    public var path: [InheritancePathStep]
}

/// An obligation a model passes on to anything made from it.
public struct InheritedObligation: Codable, Equatable, Sendable {
    public var obligation: Obligation
    public var licenceId: String
    public var licenceName: String
    public var viaModel: String
    /// model → … → ancestor → licence → extends …; the shortest such path.
    public var path: [InheritancePathStep]

    public var pathText: String { path.map(\.description).joined(separator: " → ") }
}

/// Works out what a model passes on: its own licence, its ancestors' licences, and every
/// licence those extend. Nearest first, so the model's own terms lead the list.
public enum InheritedObligations {
    /// Every licence reached from `modelId`, each once, by its shortest path.
    public static func licences(for modelId: String, in set: PolicySet) -> [ReachedLicence] {
        guard set.model(modelId) != nil else { return [] }
        var result: [ReachedLicence] = []
        var seen: Set<String> = []
        let lineage = [(id: modelId, path: [modelId])] + set.lineage.ancestors(of: modelId)
        for entry in lineage {
            guard let model = set.model(entry.id) else { continue }
            var path = entry.path.map { InheritancePathStep(kind: .model, id: $0) }
            for (depth, licence) in set.extendsChain(of: model.licence.id).enumerated() {
                path.append(InheritancePathStep(kind: depth == 0 ? .licence : .extends, id: licence.id))
                if seen.insert(licence.id).inserted {
                    result.append(ReachedLicence(licence: licence, viaModel: model.id, path: path))
                }
            }
        }
        return result
    }

    /// Every obligation reached from `modelId`, one entry per (licence, obligation).
    public static func obligations(for modelId: String, in set: PolicySet) -> [InheritedObligation] {
        licences(for: modelId, in: set).flatMap { reached in
            reached.licence.obligations.map { obligation in
                InheritedObligation(obligation: obligation, licenceId: reached.licence.id,
                                    licenceName: reached.licence.name, viaModel: reached.viaModel, path: reached.path)
            }
        }
    }
}
