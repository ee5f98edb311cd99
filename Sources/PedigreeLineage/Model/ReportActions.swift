/// What the releaser must do, in the order reports put it right under the verdict: each
/// required obligation not shown to be met with the manifest field that meets it, then each
/// error finding (each already a whole sentence ending in what to do). Requested obligations
/// and warnings follow separately: they do not fail the audit.
public struct ReportActions: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        /// An obligation id (`share-recipe`) or a finding code (`LN010`).
        public var id: String
        public var text: String
    }

    /// Everything that fails the audit: as many items as the verdict's counts add up to.
    public var required: [Item]
    /// Requested obligations not met and warnings: worth doing, not failing.
    public var advised: [Item]

    public init(_ report: AuditReport) {
        func obligation(_ check: ObligationCheck) -> Item {
            let field = check.manifestField.map { " Meet it with the manifest's `\($0)`." } ?? ""
            let what = check.status == .unverifiable ? "not shown to be met" : "not met"
            return Item(id: check.id, text: "\(check.summary) (\(check.licence), from \(check.sourceModel)): \(what): \(check.reason).\(field)")
        }
        let blocking = report.obligations.filter(ObligationEvaluator.blocks)
        let requested = report.obligations.filter { $0.severity == .requested && ($0.status == .unmet || $0.status == .unverifiable) }
        required = blocking.map(obligation)
            + report.findings.filter { $0.severity == .error }.map { Item(id: $0.code.rawValue, text: $0.message) }
        advised = requested.map(obligation)
            + report.findings.filter { $0.severity == .warning }.map { Item(id: $0.code.rawValue, text: $0.message) }
    }
}
