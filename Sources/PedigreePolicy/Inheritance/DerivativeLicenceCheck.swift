/// Whether a derivative of a model may be released under a chosen licence, and whether it
/// may be used commercially, judged against every licence the model passes on.
public enum DerivativeLicenceCheck {
    public enum Verdict: String, Codable, Sendable {
        case allowed
        case notAllowed = "not_allowed"
        /// The rule depends on what the chosen licence allows, which a person must judge.
        case needsReview = "needs_review"
    }

    public struct Finding: Codable, Equatable, Sendable {
        public var sourceLicence: String
        public var verdict: Verdict
        public var reason: String
    }

    /// One finding per licence reached from `modelId`.
    public static func check(chosen chosenId: String, for modelId: String, in set: PolicySet) -> [Finding] {
        let chosenChain = set.extendsChain(of: chosenId)
        let chosenObligations = Set(chosenChain.flatMap { $0.obligations.map(\.id) })
        return InheritedObligations.licences(for: modelId, in: set).map { reached in
            let source = reached.licence
            let rule = source.derivatives
            func finding(_ verdict: Verdict, _ reason: String) -> Finding {
                Finding(sourceLicence: source.id, verdict: verdict, reason: reason)
            }
            if chosenId == source.id || rule.allowed.contains(chosenId) {
                return finding(.allowed, "\(source.id) allows derivatives under \(chosenId)")
            }
            if chosenChain.contains(where: { $0.id == source.id }) && rule.rule != .same {
                return finding(.allowed, "\(chosenId) extends \(source.id), keeping its terms")
            }
            switch rule.rule {
            case .any:
                return finding(.allowed, "\(source.id) puts no limit on the derivative's licence")
            case .same:
                return finding(.notAllowed, "\(source.id) requires derivatives under the same licence")
            case .keepUseRestrictions:
                return chosenObligations.contains("use-restrictions-flowdown")
                    ? finding(.allowed, "\(chosenId) carries the use restrictions \(source.id) requires")
                    : finding(.notAllowed, "\(source.id) requires the use restrictions to be passed on, \(chosenId) does not")
            case .sameOrMorePermissive:
                return finding(.needsReview, "\(source.id) allows only licences that allow everything it allows; \(chosenId) is not known to")
            }
        }
    }

    /// The strictest commercial-use status among the licences a model passes on.
    public static func commercialUse(for modelId: String, in set: PolicySet) -> (status: CommercialUse.Status, from: String?) {
        var strictest: (status: CommercialUse.Status, from: String?) = (.allowed, nil)
        let rank: [CommercialUse.Status: Int] = [.allowed: 0, .restricted: 1, .forbidden: 2]
        for reached in InheritedObligations.licences(for: modelId, in: set) {
            let status = reached.licence.commercialUse.status
            if (rank[status] ?? 0) > (rank[strictest.status] ?? 0) { strictest = (status, reached.licence.id) }
        }
        return strictest
    }
}
