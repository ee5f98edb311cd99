import PedigreePolicy

/// What a change to the policies does, in the terms a reviewer of a policy pull request needs:
/// for each model, the obligations it passes on that were added, removed or changed (through
/// its own licence, its ancestors' and `extends`), the models it inherits from, licence and
/// model edits, and band and threshold changes. Deterministic: everything sorted.
public struct PolicyDiff: Codable, Equatable, Sendable {
    /// An obligation key is `licence/obligation-id`.
    public struct ModelObligations: Codable, Equatable, Sendable {
        public var model: String
        public var added: [String]
        public var removed: [String]
        /// `licence/id: what changed` for obligations present on both sides.
        public var changed: [String]
    }

    public struct Inheritance: Codable, Equatable, Sendable {
        public var model: String
        /// Ancestors (models whose licences reach this one) gained and lost.
        public var added: [String]
        public var removed: [String]
    }

    /// A licence or model added, removed or edited, with what changed.
    public struct Entry: Codable, Equatable, Sendable {
        public enum Change: String, Codable, Sendable { case added, removed, changed }
        public var id: String
        public var change: Change
        public var details: [String]
    }

    public var old: PolicySetIdentity?
    public var new: PolicySetIdentity?
    public var models: [Entry]
    public var licences: [Entry]
    public var obligations: [ModelObligations]
    public var inheritance: [Inheritance]
    public var classification: [String]

    public var isEmpty: Bool {
        models.isEmpty && licences.isEmpty && obligations.isEmpty && inheritance.isEmpty && classification.isEmpty
    }

    public static func between(_ old: PolicySet, _ new: PolicySet) -> PolicyDiff {
        PolicyDiff(old: old.identity, new: new.identity,
                   models: entries(old.models, new.models, id: \.id, details: modelDetails),
                   licences: entries(old.licences, new.licences, id: \.id, details: licenceDetails),
                   obligations: obligationChanges(old, new), inheritance: inheritanceChanges(old, new),
                   classification: classificationChanges(old.classification, new.classification))
    }

    static func entries<T>(_ old: [T], _ new: [T], id: (T) -> String, details: (T, T) -> [String]) -> [Entry] {
        let before = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        var result: [Entry] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case (nil, _?): result.append(Entry(id: key, change: .added, details: []))
            case (_?, nil): result.append(Entry(id: key, change: .removed, details: []))
            case (let a?, let b?):
                let changes = details(a, b)
                if !changes.isEmpty { result.append(Entry(id: key, change: .changed, details: changes)) }
            default: break
            }
        }
        return result
    }

    static func change<T: Equatable>(_ name: String, _ a: T, _ b: T, _ show: (T) -> String) -> [String] {
        a == b ? [] : ["\(name): \(show(a)) → \(show(b))"]
    }

    static func modelDetails(_ a: BaseModel, _ b: BaseModel) -> [String] {
        var details = change("licence", a.licence.id, b.licence.id) { $0 }
        let parentsBefore = Set(a.parents.map(\.id)), parentsAfter = Set(b.parents.map(\.id))
        details += parentsAfter.subtracting(parentsBefore).sorted().map { "parent added: \($0)" }
        details += parentsBefore.subtracting(parentsAfter).sorted().map { "parent removed: \($0)" }
        details += change("prediction", a.prediction.type.rawValue, b.prediction.type.rawValue) { $0 }
        details += change("name", a.name, b.name) { $0 }
        return details
    }

    static func licenceDetails(_ a: Licence, _ b: Licence) -> [String] {
        var details = change("extends", a.extends, b.extends) { $0 ?? "none" }
        details += change("commercial_use", a.commercialUse.status.rawValue, b.commercialUse.status.rawValue) { $0 }
        details += change("derivatives.rule", a.derivatives.rule.rawValue, b.derivatives.rule.rawValue) { $0 }
        details += change("derivatives.allowed", a.derivatives.allowed.sorted(), b.derivatives.allowed.sorted()) { "[\($0.joined(separator: ", "))]" }
        let before = Dictionary(a.obligations.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(b.obligations.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        details += Set(after.keys).subtracting(before.keys).sorted().map { "obligation added: \($0)" }
        details += Set(before.keys).subtracting(after.keys).sorted().map { "obligation removed: \($0)" }
        for key in Set(before.keys).intersection(after.keys).sorted() {
            details += obligationDetails(before[key]!, after[key]!).map { "obligation \(key): \($0)" }
        }
        return details
    }

    static func obligationDetails(_ a: Obligation, _ b: Obligation) -> [String] {
        var details = change("severity", a.severity.rawValue, b.severity.rawValue) { $0 }
        details += change("met_by", a.metBy.map { "\($0.field.rawValue)=\($0.when.rawValue)" },
                          b.metBy.map { "\($0.field.rawValue)=\($0.when.rawValue)" }) { $0.isEmpty ? "not checkable" : $0.joined(separator: ", ") }
        details += change("triggers", a.triggers.map(\.rawValue).sorted(), b.triggers.map(\.rawValue).sorted()) { $0.joined(separator: ", ") }
        return details
    }

    static func obligationChanges(_ old: PolicySet, _ new: PolicySet) -> [ModelObligations] {
        func table(_ set: PolicySet, _ model: String) -> [String: Obligation] {
            Dictionary(InheritedObligations.obligations(for: model, in: set).map { ("\($0.licenceId)/\($0.obligation.id)", $0.obligation) },
                       uniquingKeysWith: { a, _ in a })
        }
        var result: [ModelObligations] = []
        for model in Set(old.models.map(\.id)).union(new.models.map(\.id)).sorted() {
            let before = table(old, model), after = table(new, model)
            let added = Set(after.keys).subtracting(before.keys).sorted()
            let removed = Set(before.keys).subtracting(after.keys).sorted()
            let changed = Set(before.keys).intersection(after.keys).sorted().flatMap { key in
                obligationDetails(before[key]!, after[key]!).map { "\(key): \($0)" }
            }
            if !added.isEmpty || !removed.isEmpty || !changed.isEmpty {
                result.append(ModelObligations(model: model, added: added, removed: removed, changed: changed))
            }
        }
        return result
    }

    static func inheritanceChanges(_ old: PolicySet, _ new: PolicySet) -> [Inheritance] {
        var result: [Inheritance] = []
        for model in Set(old.models.map(\.id)).intersection(new.models.map(\.id)).sorted() {
            let before = Set(old.lineage.ancestors(of: model).map(\.id)), after = Set(new.lineage.ancestors(of: model).map(\.id))
            if before != after {
                result.append(Inheritance(model: model, added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted()))
            }
        }
        return result
    }

    static func classificationChanges(_ a: ClassificationSettings, _ b: ClassificationSettings) -> [String] {
        var details = change("metric", a.metric.rawValue, b.metric.rawValue) { $0 }
        details += change("borderline_margin", a.borderlineMargin, b.borderlineMargin) { "\($0)" }
        let before = Dictionary(a.bands.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(b.bands.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        details += b.bands.filter { before[$0.id] == nil }.map { "band added: \($0.id) (lower bound \($0.lowerBound))" }
        details += a.bands.filter { after[$0.id] == nil }.map { "band removed: \($0.id) (lower bound \($0.lowerBound))" }
        for band in b.bands {
            guard let previous = before[band.id] else { continue }
            details += change("band \(band.id) lower_bound", previous.lowerBound, band.lowerBound) { "\($0)" }
            details += change("band \(band.id) label", previous.label, band.label) { $0 }
        }
        return details
    }
}
