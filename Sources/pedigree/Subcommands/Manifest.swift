import ArgumentParser
import Foundation
import PedigreeAuthoring
import PedigreePolicy
import PedigreeSupport

/// `pedigree manifest …`: release manifests.
struct ManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Draft release manifests.",
        discussion: """
            EXAMPLES
              pedigree audit my-merge.safetensors --ref sdxl-base-1.0=sdxl.safetensors --ref illustrious-xl-v0.1=ill01.safetensors --ref noobai-xl-eps-1.0=noob.safetensors --format json > audit.json
              pedigree manifest init --from audit.json -o my-release.yaml
            """,
        subcommands: [ManifestInit.self]
    )
}

/// `pedigree manifest init --from AUDIT.json`: a manifest drafted from an audit.
struct ManifestInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Draft a release manifest from an audit: detected bases, one field per obligation to meet.",
        discussion: """
            Reads an audit report (`pedigree audit --format json`, or the .json report file) \
            and writes a release manifest declaring the bases the audit detected, with a \
            field for each obligation the release must meet and a comment naming the \
            obligation, the licence that asks for it and the value that meets it. What the \
            audit cannot know is left as `null  # TODO`; values the audit's own manifest \
            stated are carried over. Lists the fields to fill in on standard error. Fill them \
            in and run the audit again with --release.

            EXAMPLES
              pedigree manifest init --from Reports/my-merge.json -o drafted-release.yaml
              pedigree manifest init --from audit.json
            """
    )

    @Option(help: "The audit report (JSON) to draft from.")
    var from: String

    @Option(name: [.customShort("o"), .long], help: "Write the manifest here (default: stdout). Refuses to overwrite.")
    var output: String?

    @Option(help: "The policy folder (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable, else the embedded set).")
    var policies: String?

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        guard let data = FileManager.default.contents(atPath: from) else {
            throw FileAccessError.cannotOpen(path: from, reason: "no such file or not readable")
        }
        let draft = try ManifestDraft.draft(auditJSON: data, path: from, policies: set)
        if let output {
            if FileManager.default.fileExists(atPath: output) { throw AuthoringError.alreadyExists(kind: "file", id: output) }
            try AtomicFile.write(draft.yaml, to: output)
            Terminal.diagnostic("wrote \(output)")
        } else {
            printReport(draft.yaml)
        }
        if !draft.todo.isEmpty { Terminal.diagnostic("fill in: " + draft.todo.joined(separator: ", ")) }
    }
}
