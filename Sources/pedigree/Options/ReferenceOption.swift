import ArgumentParser
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy

/// `--ref ID=PATH` (a reference's policy model id and its checkpoint or fingerprint), or
/// `--ref ID` alone, when the policies hold a fingerprint for that id.
struct ReferenceArgument: ExpressibleByArgument {
    let id: String
    let path: String?

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else {
            guard !argument.isEmpty else { return nil }
            id = argument
            path = nil
            return
        }
        guard equals != argument.startIndex else { return nil }
        id = String(argument[..<equals])
        path = String(argument[argument.index(after: equals)...])
        guard path?.isEmpty == false else { return nil }
    }
}

/// The comparison options `compare` and `audit` share.
struct ComparisonOptions: ParsableArguments {
    @Option(name: .customLong("ref"), help: ArgumentHelp("A reference as ID=PATH (policy model id = checkpoint or fingerprint), or ID alone to use the policies' fingerprint of that model. Repeat for each. Without any, the policies' default_references are compared through their fingerprints.", valueName: "id[=path]"))
    var references: [ReferenceArgument] = []

    @Option(name: .customLong("include"), help: ArgumentHelp("Compare only tensors whose names start with this prefix. Repeatable.", valueName: "prefix"))
    var includePrefixes: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out tensors whose names start with this prefix. Repeatable. The VAE (first_stage_model.) is left out unless included.", valueName: "prefix"))
    var excludePrefixes: [String] = []

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @Flag(help: "Measure every reference pair's spectral profile (a change partly subtracted: a LoRA of it merged at negative strength) whatever it costs. By default a pair whose spectral basis is not cached and would take more than 3·10¹³ floating-point operations to compute is skipped, and the report says so; a full-size SDXL pair (about 2.2·10¹³, two minutes on two cores with AVX-512) fits, and is cached for later audits.")
    var spectral = false

    @Option(name: .customLong("lora-base"), help: ArgumentHelp("For a LoRA candidate: the reference to apply it to (default: the training base the LoRA declares, when it is a reference; else the reference none of the others descends from).", valueName: "id"))
    var loraBase: String?

    /// The reference a LoRA candidate is applied to (nil for the root reference).
    func loraBase(candidate: String, references: [ComparisonRequest.Reference], policies: PolicySet?) throws -> String? {
        let requested = try loraBase.map { try policies?.canonicalModelId($0, option: "--lora-base") ?? $0 }
        return LoRABaseChoice.base(candidate: candidate, requested: requested, references: references.map(\.id), policies: policies)
    }

    /// The spectral-basis budget the compute core takes (nil: no limit).
    var spectralBudget: Double? { spectral ? nil : SpectralPass.defaultBudget }

    func validate() throws {
        // "No --ref" is checked in `resolvedReferences`, after parsing: checked here, it
        // would hide a misspelt option (`--refs`), which ArgumentParser names only later.
        let ids = references.map(\.id)
        if Set(ids).count != ids.count { throw ValidationError("each --ref id may appear once") }
    }

    /// The references as the compute core takes them: ids (or aliases, or Hugging Face
    /// repos) checked against the policies and made canonical before any weights are read,
    /// id-only ones resolved to the policies' fingerprints.
    func resolvedReferences(_ policySet: PolicySet?) throws -> [ComparisonRequest.Reference] {
        if references.isEmpty {
            // The policies' default set, through its fingerprints (a hub names its bases once).
            let defaults = try policySet?.resolveDefaultReferences() ?? []
            if defaults.isEmpty { throw ValidationError("give at least one reference: --ref ID=PATH (the policies name no default_references)") }
            return defaults.map { ComparisonRequest.Reference(id: $0.id, path: $0.path) }
        }
        let resolved = try references.map { reference -> ComparisonRequest.Reference in
            guard let policySet else {
                guard let path = reference.path else { throw ValidationError("--ref \(reference.id) needs =PATH: no policy folder was found") }
                return .init(id: reference.id, path: path)
            }
            let id = try policySet.canonicalModelId(reference.id, option: "--ref")
            return .init(id: id, path: try policySet.resolveReference(id: id, path: reference.path))
        }
        let ids = resolved.map(\.id)
        if let repeated = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw ValidationError("--ref names '\(repeated)' twice (an id and its alias count as the same model)")
        }
        return resolved
    }

    /// The policies when a folder is given or found; nil when none is found and none was asked for.
    func optionalPolicySet() throws -> PolicySet? {
        if policies == nil, case .failure = PolicyLocator.locate(explicit: nil) { return nil }
        return try PolicyLoader.locateAndLoad(explicit: policies)
    }

    var filter: TensorFilter {
        // An explicit --include under a default exclusion (say the VAE) lifts that exclusion.
        let defaults = TensorFilter.defaultExclude.filter { prefix in !includePrefixes.contains { $0.hasPrefix(prefix) || prefix.hasPrefix($0) } }
        return TensorFilter(include: includePrefixes, exclude: defaults + excludePrefixes)
    }
}
