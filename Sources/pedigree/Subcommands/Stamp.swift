import ArgumentParser
import Foundation
import PedigreeFormat
import PedigreeReports
import PedigreeSupport

struct Stamp: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a checkpoint with the audit stamped into its safetensors metadata.",
        discussion: """
            Writes OUT, a copy of IN whose __metadata__ carries ModelSpec keys that kohya, \
            ComfyUI and SwarmUI read — modelspec.license, modelspec.merged_from (for a \
            measured or declared merge), modelspec.hash_sha256 ("0x" + the SHA-256 of the \
            tensor data, as ModelSpec 1.0.1 defines it) and, for an SDXL file missing them, \
            ModelSpec's required keys — plus pedigree.audit, a compact JSON summary: verdict, \
            inherited ids, declared bases, the audited file's SHA-256, the audit report's \
            SHA-256, the policy-set digest and the tool version.

            The tensor data is copied byte for byte (its AutoV3 hash is unchanged), in one \
            streaming pass that also checks IN is the audited checkpoint (or a stamped copy \
            of it). Existing metadata is kept, the audit's keys overwriting theirs, unless \
            --replace-metadata. IN is opened read-only and never written; OUT appears only \
            when complete.

            EXAMPLES
              pedigree stamp my-merge.safetensors -o upload/my-merge.safetensors --from Reports/my-merge.json
              pedigree stamp my-merge.safetensors -o clean.safetensors --from audit.json --replace-metadata
            """)

    @Argument(help: "The audited checkpoint (.safetensors).")
    var input: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the stamped copy (never IN itself).")
    var output: String

    @Option(name: .customLong("from"), help: ArgumentHelp("The audit report (JSON, from `pedigree audit`).", valueName: "audit.json"))
    var audit: String

    @Flag(help: "Drop IN's existing metadata instead of keeping it.")
    var replaceMetadata = false

    func run() throws {
        let document = try AuditDocument.load(path: audit)
        let file = try SafetensorsFile(path: input)
        let existing = file.header.metadata
        let architecture = Architecture.detect(names: file.header.tensorNames) == .sdxl ? "stable-diffusion-xl-v1-base" : nil
        let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let title = document.release.map { release in release.version.map { "\(release.name) \($0)" } ?? release.name } ?? stem
        let metadata = StampMetadata.entries(audit: document, existing: existing, replace: replaceMetadata,
                                             identity: .init(architecture: architecture, title: title))
        var link = AuditLink.auditedFile
        // The audit hashed the input already: its hashes come from the cache (computed in one
        // read if not), so the copy itself hashes nothing.
        let known = try CLICaches.hashes().hashes(of: file, progress: TerminalProgressBar.forStderr())
        let hashes = try SafetensorsMetadataCopy.copy(
            file, to: output, metadata: metadata, dataHashKey: StampMetadata.hashKey,
            formatDataHash: { StampMetadata.hashValue(autov3: $0) },
            knownHashes: .init(inputSHA256: known.sha256, dataSHA256: known.autov3), progress: TerminalProgressBar.forStderr()
        ) { hashes in
            link = try AuditLink.check(fileSHA256: hashes.inputSHA256, dataSHA256: hashes.dataSHA256, metadata: existing,
                                       audit: document, auditPath: audit, filePath: input)
        }
        if let embedded = existing[StampMetadata.hashKey], embedded != StampMetadata.hashValue(autov3: hashes.dataSHA256) {
            Terminal.diagnostic("warning: \(input): its modelspec.hash_sha256 did not match its tensor data; the copy carries the correct one")
        }
        printReport(StampSummaryText.render(output: output, link: link, dataSHA256: hashes.dataSHA256, metadata: metadata, audit: document))
    }
}
