import ArgumentParser
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how similar a checkpoint's weights are to reference base models, in one pass.",
        discussion: """
            Reads the candidate and every reference once, together, and reports the seed \
            article's metric (mean over every column of dim 0 of the cosine similarity of \
            the normalized tensors, VAE excluded) for each reference, per component and per \
            block, column- and parameter-weighted; the reference-versus-reference baselines; \
            and, along lineage edges between references (from the policies, or --edge), how \
            much of the descendant's change the candidate carries.

            A reference may be a full checkpoint or a fingerprint (`pedigree fingerprint`). \
            --ref takes policy models (ids checked, with did-you-mean); --other LABEL=PATH \
            takes any other checkpoint under a label of your own, measured the same way and \
            marked "not in the policies". With --other alone, no --ref, only those files are \
            compared: two candidates side by side, per component and block.

            EXAMPLES
              pedigree compare my-merge.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors
              pedigree compare my-merge.safetensors --ref noobai-xl-eps-1.0=Policies/fingerprints/noobai-xl-eps-1.0.safetensors --by block
              pedigree compare my-merge.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --format json -o compare.json
              pedigree compare my-merge.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --no-attribution
              pedigree compare my-merge.safetensors --other mine=noob.safetensors --by block
              pedigree compare my-merge.safetensors --ref sdxl-base-1.0=sdxl.safetensors --other v1=ill01.safetensors --other v2=noob.safetensors --edge sdxl-base-1.0:v1 --edge v1:v2
            """)

    @Argument(help: "The checkpoint to audit.")
    var candidate: String

    @OptionGroup var comparison: ComparisonOptions

    @OptionGroup var otherReferences: OtherReferenceOptions

    @OptionGroup var formatOption: TextOrJSONOutput

    @Option(help: "Detail of the text table: component, block or tensor.")
    var by: Grain = .component

    @Option(name: .customLong("edge"), help: ArgumentHelp("A lineage edge between two references, ANCESTOR:DESCENDANT, for delta measures. Repeatable. Default: the edges the policies know between the given references.", valueName: "ancestor:descendant"))
    var edges: [String] = []

    @Option(name: .shortAndLong, help: "Write the JSON result to this file (atomically) instead of printing the report.")
    var output: String?

    @Flag(inversion: .prefixedNo, help: "Attribute the candidate's change to the references (each one's share, with intervals). --no-attribution reports the article's metric, baselines and deltas only; `classify` then falls back on them.")
    var attribution = true

    enum Grain: String, ExpressibleByArgument, CaseIterable { case component, block, tensor }

    func validate() throws {
        for edge in edges where edge.split(separator: ":").count != 2 {
            throw ValidationError("--edge takes ANCESTOR:DESCENDANT, got '\(edge)'")
        }
    }

    func run() throws {
        let policySet = try comparison.optionalPolicySet()
        let others = try otherReferences.resolved(policySet)
        // --other alone: only those files (no default reference set).
        let references = (comparison.references.isEmpty && !others.isEmpty ? [] : try comparison.resolvedReferences(policySet)) + others
        let compared = references.map(\.id)
        let labels = otherReferences.labels
        var edgePairs = try edges.map { edge -> (ancestor: String, descendant: String) in
            let parts = try edge.split(separator: ":").map { part in
                labels.contains(String(part)) ? String(part) : try policySet?.canonicalModelId(String(part), option: "--edge") ?? String(part)
            }
            for id in parts where !compared.contains(id) {
                throw ValidationError("--edge \(edge): '\(id)' is not among the references (\(compared.joined(separator: ", ")))")
            }
            return (parts[0], parts[1])
        }
        if edges.isEmpty, let policySet { edgePairs = policySet.lineageEdges(among: references.map(\.id).filter { !labels.contains($0) }) }
        let request = ComparisonRequest(
            candidate: candidate, references: references, filter: comparison.filter,
            edges: edgePairs, blockGroups: (policySet?.classification.attribution ?? .default).comparisonGroups,
            perTensor: by == .tensor, attribution: attribution, spectralBudget: comparison.spectralBudget)
        var result = try comparison.run(request, policies: policySet)
        result.markNotInPolicies(labels)
        let json = try PedigreeJSON.string(result)
        if let output {
            try AtomicFile.write(json, to: output)
            Terminal.diagnostic("wrote \(output)")
            return
        }
        printReport(formatOption.isJSON ? json : CompareTextRenderer.render(result, grain: .init(rawValue: by.rawValue) ?? .component))
    }
}
