import ArgumentParser

/// Every subcommand, in the order `pedigree --help` lists them.
enum PedigreeSubcommands {
    static let all: [any ParsableCommand.Type] = [
        Demo.self,
        Audit.self,
        Compare.self,
        Classify.self,
        Card.self,
        Stamp.self,
        Keygen.self,
        Attest.self,
        Verify.self,
        Scan.self,
        Results.self,
        Enqueue.self,
        Worker.self,
        Inspect.self,
        Identify.self,
        FingerprintCommand.self,
        Policy.self,
        ManifestCommand.self,
        Synth.self,
    ]
}
