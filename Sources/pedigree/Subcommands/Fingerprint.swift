import ArgumentParser
import PedigreeCompute
import PedigreeReports
import PedigreeSupport

struct FingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Write a compact fingerprint of a reference checkpoint (under 1% of a full-size SDXL file).",
        discussion: """
            A fingerprint keeps a deterministic, seeded sample of every tensor's columns \
            (the unit of the article's metric), all rows of each, plus the metadata needed \
            to use it: the source's SHA-256, the sampling rate, seed and version, and \
            Pedigree's version. It is an ordinary .safetensors file, recognised by its \
            content whatever its name. `compare`, `audit` and `classify` accept it wherever \
            a reference path goes; fingerprints compare with each other too, so reference \
            baselines need no full file. Keep fingerprints of policy models under \
            Policies/fingerprints/<id>.safetensors and audits find them by id.

            Figures from fingerprints are estimates with 95% intervals; a band whose \
            interval straddles a threshold is reported as borderline.

            With --spectral-ancestor ID=PATH (the reference this one descends from, e.g. \
            Illustrious XL v0.1 under NoobAI), the fingerprint also carries a spectral \
            sample of this reference's change from it: 1/128 of each tensor's rows of both \
            files and of the change's rank-64, -128 and -256 approximations (about 4% of a \
            full-size checkpoint). Audits against fingerprints then measure the spectral \
            profile and catch a change partly subtracted (the seed article's un-merge). \
            Making it computes the pair's spectral basis once (cached for later).

            EXAMPLES
              pedigree fingerprint sdxl.safetensors --id sdxl-base-1.0 -o Policies/fingerprints/sdxl-base-1.0.safetensors
              pedigree fingerprint noob.safetensors --id noobai-xl-eps-1.0 -o Policies/fingerprints/noobai-xl-eps-1.0.safetensors
              pedigree fingerprint ill01.safetensors --id illustrious-xl-v0.1 -o Policies/fingerprints/illustrious-xl-v0.1.safetensors
              pedigree fingerprint ill01.safetensors --id illustrious-xl-v0.1 -o ill01-dense.fp.safetensors --rate 0.05
              pedigree fingerprint noob.safetensors --id noobai-xl-eps-1.0 --spectral-ancestor illustrious-xl-v0.1=ill01.safetensors -o noob.fp.safetensors
            """)

    @Argument(help: "The reference checkpoint to fingerprint.")
    var checkpoint: String

    @Option(help: "The policy model id this checkpoint is (e.g. noobai-xl-eps-1.0).")
    var id: String

    @Option(name: .shortAndLong, help: "Where to write the fingerprint.")
    var output: String

    @Option(help: "Fraction of each tensor's columns to keep (0 < rate ≤ 1).")
    var rate: Double = ColumnSampling.defaultRate

    @Option(help: "Sampling seed; fingerprints compare with each other only when made with the same rate and seed.")
    var seed: UInt64 = ColumnSampling.defaultSeed

    @Option(name: .customLong("spectral-ancestor"), help: ArgumentHelp("Also carry a spectral sample of this reference's change from ID's checkpoint at PATH (the un-merge check for fingerprint audits).", valueName: "id=path"))
    var spectralAncestor: String?

    @Option(help: "Output format for the summary: text or json.")
    var format: ReportFormat = .text

    func validate() throws {
        try ReportFormat.check(format, allowed: ReportFormat.textOrJSON)
        guard rate > 0, rate <= 1 else { throw ValidationError("--rate must be greater than 0 and at most 1") }
        guard !id.isEmpty else { throw ValidationError("--id must not be empty") }
        if let spectralAncestor, ancestorParts(spectralAncestor) == nil {
            throw ValidationError("--spectral-ancestor takes ID=PATH (the ancestor's policy id and its checkpoint), got '\(TerminalEscaping.excerpt(spectralAncestor))'")
        }
    }

    private func ancestorParts(_ text: String) -> (id: String, path: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let (ancestorID, path) = (String(text[..<equals]), String(text[text.index(after: equals)...]))
        return ancestorID.isEmpty || path.isEmpty ? nil : (ancestorID, path)
    }

    func run() throws {
        var spectral: SpectralSampleBuild?
        if let spectralAncestor, let (ancestorID, ancestorPath) = ancestorParts(spectralAncestor) {
            let hashes = CLICaches.hashes()
            let descendant = try SourceOpener.open(label: id, path: checkpoint)
            let ancestor = try SourceOpener.open(label: ancestorID, path: ancestorPath)
            for opened in [descendant, ancestor] where opened.source is Fingerprint || opened.lora != nil {
                throw FingerprintError.spectralSource(path: opened.source.path, reason: "it is a \(opened.kind.rawValue); --spectral-ancestor needs two full checkpoints")
            }
            // Both new files are hashed at once, one SHA-256 stream each.
            let shas = try Comparison.identify([descendant, ancestor], hashCache: hashes)
            guard let dSHA = shas[0], let aSHA = shas[1] else {
                throw FingerprintError.spectralSource(path: checkpoint, reason: "its SHA-256 or the ancestor's could not be computed")
            }
            spectral = try SpectralSampleBuild.make(descendant: descendant.source, ancestor: ancestor.source, ancestorID: ancestorID,
                                                   descendantSHA256: dSHA, ancestorSHA256: aSHA, cache: CLICaches.spectral(),
                                                   progress: TerminalProgressBar.forStderr())
        }
        let summary = try FingerprintWriter.write(
            checkpoint: checkpoint, id: id, to: output, rate: rate, seed: seed, hashCache: CLICaches.hashes(),
            spectral: spectral, progress: TerminalProgressBar.forStderr())
        printReport(format == .json ? try PedigreeJSON.string(summary) : FingerprintSummaryText.render(summary))
    }
}
