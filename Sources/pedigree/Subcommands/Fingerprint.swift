import ArgumentParser
import PedigreeCompute
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

            EXAMPLES
              pedigree fingerprint sdxl.safetensors --id sdxl-base-1.0 -o Policies/fingerprints/sdxl-base-1.0.safetensors
              pedigree fingerprint noob.safetensors --id noobai-xl-eps-1.0 -o Policies/fingerprints/noobai-xl-eps-1.0.safetensors
              pedigree fingerprint ill01.safetensors --id illustrious-xl-v0.1 -o Policies/fingerprints/illustrious-xl-v0.1.safetensors
              pedigree fingerprint ill01.safetensors --id illustrious-xl-v0.1 -o ill01-dense.fp.safetensors --rate 0.05
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

    @Option(help: "Output format for the summary: text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        try OutputFormat.check(format, allowed: [.text, .json])
        guard rate > 0, rate <= 1 else { throw ValidationError("--rate must be greater than 0 and at most 1") }
        guard !id.isEmpty else { throw ValidationError("--id must not be empty") }
    }

    func run() throws {
        let summary = try FingerprintWriter.write(
            checkpoint: checkpoint, id: id, to: output, rate: rate, seed: seed, hashCache: CLICaches.hashes(),
            progress: TerminalProgressBar.forStderr())
        if format == .json {
            printReport(try PedigreeJSON.string(summary))
        } else {
            printReport("wrote \(summary.path): \(summary.tensors) tensors, \(formatBytes(Double(summary.bytes))) (\(String(format: "%.2f", summary.fraction * 100))% of the checkpoint)")
        }
    }
}
