import ArgumentParser
import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit a checkpoint before publishing: lineage, inherited licence obligations, reports.",
        discussion: """
            Compares the checkpoint with the references in one pass, reads the similarities \
            in the policy's bands, infers the likely lineage, works out every licence \
            obligation the checkpoint inherits (through `extends` and the lineage graph), and \
            checks each against the release manifest. Writes Markdown, JSON, HTML and a \
            model-card fragment into the report folder, atomically, and prints a summary.

            Each --ref ID is a policy model id; its PATH is a checkpoint or a fingerprint. \
            With ID alone, the policies' fingerprint of that model is used \
            (Policies/fingerprints/<ID>.safetensors). With no --ref at all, the policies' \
            default reference set (classification.yaml `default_references`) is compared \
            through those fingerprints; a missing one stops the audit before any weights are \
            read and names the file to make [RF004]. --other LABEL=PATH also measures a \
            checkpoint that is no policy model (your previous release, say): it is reported \
            under its label, "not in the policies", and plays no part in the licence verdict.

            Exit status: 0 when no inherited obligation is unmet or unverifiable, 1 when \
            one is (a gate before publishing), 2 on invalid input, 64 on usage errors.

            EXAMPLES
              pedigree audit my-merge.safetensors --ref sdxl-base-1.0=sdxl.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --release release.yaml
              pedigree audit my-merge.safetensors --ref illustrious-xl-v0.1 --ref noobai-xl-eps-1.0 --release release.yaml
              pedigree audit my-merge.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --format json | jq .inherits_from
              pedigree audit my-merge.safetensors --release release.yaml
              pedigree audit my-merge.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --format cyclonedx > my-merge.cdx.json
              pedigree audit my-merge.safetensors --release release.yaml --other v1=ill01.safetensors
              pedigree audit my-merge.safetensors --ref sdxl-base-1.0=sdxl.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --spectral
            """)

    @Argument(help: "The checkpoint you are about to publish.")
    var candidate: String

    @OptionGroup var comparison: ComparisonOptions

    @OptionGroup var otherReferences: OtherReferenceOptions

    @Option(help: "The release manifest (YAML) describing what you publish and disclose.")
    var release: String?

    @Option(help: "Folder the reports are written to.")
    var reportDir: String = ReportWriter.defaultFolder

    @Flag(help: "Print the summary only; write no report files.")
    var noReports = false

    @Option(help: "What to print on stdout: text, md, json, html or cyclonedx (a CycloneDX 1.6 ML-BOM).")
    var format: ReportFormat = .text

    @Flag(help: "Keep the files' full local paths in the reports (default: file names and hashes only, fit for publishing).")
    var localPaths = false

    func validate() throws { try ReportFormat.check(format, allowed: ReportFormat.auditOutputs) }

    func run() throws {
        let policySet = try PolicyLoader.locateAndLoad(explicit: comparison.policies)
        let manifest = try release.map { try ManifestLoader.load(path: $0, policies: policySet) }
        if let manifest, let release { try ManifestLoader.checkNames(manifest, candidatePath: candidate, manifestPath: release) }
        let references = try comparison.resolvedReferences(policySet)
        if !noReports { try ReportWriter(folder: reportDir).prepare() }
        let request = ComparisonRequest(
            candidate: candidate, references: references, filter: comparison.filter,
            edges: policySet.lineageEdges(among: references.map(\.id)),
            blockGroups: policySet.classification.attribution.comparisonGroups, spectralBudget: comparison.spectralBudget)
        let compare = try comparison.run(request, policies: policySet)
        if let manifest { try ManifestLoader.checkDigest(manifest, candidateSHA256: compare.candidate.sha256) }
        var report = Auditor.audit(.init(compare: compare, policies: policySet, manifest: manifest, manifestPath: release))
        // References outside the policies are measured on their own (the candidate's hash is
        // cached by now), so the verdict above is exactly the one without them.
        let others = try otherReferences.resolved(policySet)
        if !others.isEmpty {
            var measured = try comparison.run(ComparisonRequest(candidate: candidate, references: others, filter: comparison.filter,
                                                                attribution: false, spectralBudget: comparison.spectralBudget),
                                              policies: policySet)
            measured.markNotInPolicies(otherReferences.labels)
            report.comparedOutsidePolicies = measured.references
        }
        try emit(localPaths ? report : report.withFileNamesOnly(), format: format, reportDir: noReports ? nil : reportDir, policies: policySet)
    }
}

/// Prints a report in the chosen format, writes the report files, and exits 1 when the
/// audit found unmet or unverifiable obligations. Shared by `audit` and `classify`.
///
/// A finished audit is never thrown away: if the files cannot be written (the folder was
/// checked before the weights were read, but disks fill up), the report still goes to
/// stdout, the write error to stderr, and the exit status is 2.
func emit(_ report: AuditReport, format: ReportFormat, reportDir: String?, policies: PolicySet?) throws {
    var writeError: (any Error)?
    if let reportDir {
        do {
            let written = try ReportWriter(folder: reportDir).write(report)
            Terminal.diagnostic("reports: " + written.all.joined(separator: ", "))
        } catch {
            writeError = error
        }
    }
    if let renderer = format.renderer(colored: Terminal.colorEnabled(forStderr: false)) {
        printReport(renderer.render(report))
    } else {
        printReport(CycloneDXRenderer(policies: policies).render(try AuditDocument(report: report)))
    }
    if let writeError {
        Terminal.diagnostic("the audit finished (exit \(report.outcome.verdict.exitStatus.rawValue) otherwise) and is printed above, but its report files could not be written:")
        throw writeError
    }
    if report.outcome.verdict == .fail { throw report.outcome.verdict.exitCode }
}
