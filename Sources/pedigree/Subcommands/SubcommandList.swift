import ArgumentParser

/// Every subcommand, in the order `pedigree --help` lists them.
enum PedigreeSubcommands {
    static let all: [any ParsableCommand.Type] = [
        Synth.self,
    ]
}
