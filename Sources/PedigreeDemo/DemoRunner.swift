import Foundation
import PedigreeCompute
import PedigreeFormat
import PedigreeLineage
import PedigreePolicy
import PedigreeReports
import PedigreeSupport
import PedigreeSynth

/// `pedigree demo`: the main job end to end on a synthetic SDXL family with a planted
/// lineage — generate the family (cached), write four candidates' release manifests,
/// audit each against the shipped policies, and write their reports.
/// Everything goes through the same code paths as a user's own audit.
public enum DemoRunner {
    public static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]
    /// Width ÷16: 27.7 MB per model, all real SDXL tensor names and shapes.
    public static let widthDivisor = 16

    public struct CandidateOutcome: Sendable {
        public let model: String
        public let story: String
        public let manifestPath: String
        public let report: AuditReport
        public let reports: ReportWriter.WrittenReports
    }

    public struct Outcome: Sendable {
        public let familyFolder: String
        public let generated: Bool
        public let candidates: [CandidateOutcome]
    }

    /// The cache folder for this version of the demo family; a changed recipe gets a new one.
    public static func defaultFamilyFolder() -> String {
        CacheFolder.path() + "/demo-family-\(String(FNV1a.hash(SynthRecipe.demoFamilyYAML), radix: 16))-w\(widthDivisor)"
    }

    public static func run(
        policies: PolicySet, reportFolder: String, familyFolder: String = defaultFamilyFolder(),
        progress: any ProgressSink = SilentProgress()
    ) throws -> Outcome {
        let (family, generated) = try familyReady(in: familyFolder, progress: progress)
        let manifestFolder = familyFolder + "/manifests"
        var outcomes: [CandidateOutcome] = []
        for candidate in DemoManifests.candidates {
            let manifestPath = manifestFolder + "/\(candidate.model).release.yaml"
            try AtomicFile.write(candidate.manifest + "\n", to: manifestPath)
            let manifest = try ManifestLoader.load(path: manifestPath, policies: policies)
            let references = try Self.references.map { id -> ComparisonRequest.Reference in
                guard let path = family.path(of: id) else { throw FileAccessError.cannotOpen(path: familyFolder, reason: "the demo family lacks \(id)") }
                return .init(id: id, path: path)
            }
            guard let candidatePath = family.path(of: candidate.model) else {
                throw FileAccessError.cannotOpen(path: familyFolder, reason: "the demo family lacks \(candidate.model)")
            }
            let compare = try Comparison.run(
                ComparisonRequest(candidate: candidatePath, references: references,
                                  edges: policies.lineageEdges(among: Self.references),
                                  blockGroups: policies.classification.attribution.comparisonGroups),
                progress: progress)
            // The demo's reports are published forms, as `audit` writes them: files by name and hash.
            let report = Auditor.audit(.init(compare: compare, policies: policies, manifest: manifest, manifestPath: manifestPath))
                .withFileNamesOnly()
            let written = try ReportWriter(folder: reportFolder).write(report, stem: candidate.model)
            // The manifest travels with its reports, so the folder is self-explanatory.
            try AtomicFile.write(candidate.manifest + "\n", to: reportFolder + "/\(candidate.model).release.yaml")
            outcomes.append(CandidateOutcome(model: candidate.model, story: candidate.story, manifestPath: manifestPath, report: report, reports: written))
        }
        return Outcome(familyFolder: familyFolder, generated: generated, candidates: outcomes)
    }

    /// Reuses a complete cached family; generates it otherwise.
    static func familyReady(in folder: String, progress: any ProgressSink) throws -> (SynthFamily, Bool) {
        if let family = try? SynthFamily.load(directory: folder),
           family.models.allSatisfy({ model in
               let path = family.path(of: model.name) ?? ""
               let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
               return size == model.bytes
           }) {
            return (family, false)
        }
        let family = try SynthFamilyWriter.write(recipe: .demoFamily, outDir: folder, widthDivisor: widthDivisor, dtype: .f16, progress: progress)
        return (family, true)
    }
}
