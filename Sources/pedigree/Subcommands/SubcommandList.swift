import ArgumentParser

/// Every subcommand, in the order `pedigree --help` lists them.
enum PedigreeSubcommands {
    static let all: [any ParsableCommand.Type] = [
        Demo.self,
        Audit.self,
        Compare.self,
        Classify.self,
        Scan.self,
        Results.self,
        Enqueue.self,
        Worker.self,
        Inspect.self,
        FingerprintCommand.self,
        Policy.self,
        Synth.self,
    ]
}
