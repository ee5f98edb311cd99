import ArgumentParser
import PedigreeCompute

/// `--ref ID=PATH`: a reference's policy model id and its checkpoint or fingerprint.
struct ReferenceArgument: ExpressibleByArgument {
    let id: String
    let path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        id = String(argument[..<equals])
        path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
    }

    var request: ComparisonRequest.Reference { .init(id: id, path: path) }
}

/// The comparison options `compare` and `audit` share.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .customLong("ref"), help: ArgumentHelp("A reference as ID=PATH (policy model id = checkpoint or fingerprint). Repeat for each.", valueName: "id=path"))
    var references: [ReferenceArgument] = []

    @Option(name: .customLong("include"), help: ArgumentHelp("Compare only tensors whose names start with this prefix. Repeatable.", valueName: "prefix"))
    var includePrefixes: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out tensors whose names start with this prefix. Repeatable. The VAE (first_stage_model.) is left out unless included.", valueName: "prefix"))
    var excludePrefixes: [String] = []

    func validate() throws {
        if references.isEmpty { throw ValidationError("give at least one reference: --ref ID=PATH") }
        let ids = references.map(\.id)
        if Set(ids).count != ids.count { throw ValidationError("each --ref id may appear once") }
    }

    var filter: TensorFilter {
        // An explicit --include under a default exclusion (say the VAE) lifts that exclusion.
        let defaults = TensorFilter.defaultExclude.filter { prefix in !includePrefixes.contains { $0.hasPrefix(prefix) || prefix.hasPrefix($0) } }
        return TensorFilter(include: includePrefixes, exclude: defaults + excludePrefixes)
    }
}
