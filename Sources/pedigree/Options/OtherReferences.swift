import ArgumentParser
import PedigreeCompute
import PedigreePolicy

/// `--other LABEL=PATH`: a checkpoint or fingerprint that is no policy model, under a label
/// the user chooses.
struct OtherArgument: ExpressibleByArgument {
    let label: String
    let path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        label = String(argument[..<equals])
        path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
    }
}

/// References outside the policies (`compare`): measured like any reference, never a licence.
struct OtherReferenceOptions: ParsableArguments {
    @Option(name: .customLong("other"), help: ArgumentHelp("A checkpoint or fingerprint that is not a policy model, as LABEL=PATH: measured like a reference (mean cosine, components, blocks, baselines, --edge lines that name LABEL), shown as \"not in the policies\", never a licence. Repeatable. A label that is or resembles a policy model's id is refused: use --ref for those.", valueName: "label=path"))
    var others: [OtherArgument] = []

    var labels: Set<String> { Set(others.map(\.label)) }

    func validate() throws {
        let labels = others.map(\.label)
        if Set(labels).count != labels.count { throw ValidationError("each --other label may appear once") }
    }

    /// The references, each label checked against the policies' ids and aliases.
    func resolved(_ policySet: PolicySet?) throws -> [ComparisonRequest.Reference] {
        try others.map { other in
            try policySet?.checkOtherLabel(other.label)
            return ComparisonRequest.Reference(id: other.label, path: other.path)
        }
    }
}
