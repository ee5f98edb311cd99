import Foundation
import PedigreeYAML

/// Rules only `policy lint` enforces, on a set that loads: they keep the folder tidy for the
/// people who edit it, and a set breaking them still audits (an audit never depends on a
/// file's name). Each is an error of lint: exit 2.
public enum PolicyLintChecks {
    public static func errors(in set: PolicySet) -> [PolicyError] {
        var errors: [PolicyError] = []
        for licence in set.licences where stem(licence.location) != licence.id {
            errors.append(.fileNameMismatch(kind: "licence", id: licence.id, at: licence.location))
        }
        for model in set.models where stem(model.location) != model.id {
            errors.append(.fileNameMismatch(kind: "model", id: model.id, at: model.location))
        }
        for licence in set.licences {
            for obligation in licence.obligations where !ObligationVocabulary.contains(obligation.id) {
                errors.append(.unknownObligation(id: obligation.id, at: obligation.location,
                                                 suggestion: DidYouMean.suggestion(for: obligation.id, among: ObligationVocabulary.ids)))
            }
        }
        return errors
    }

    /// `models/x.yaml` → `x`.
    static func stem(_ location: SourceLocation) -> String {
        let name = (location.file as NSString).lastPathComponent
        return name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    }
}
