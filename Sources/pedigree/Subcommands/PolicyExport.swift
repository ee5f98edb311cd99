import ArgumentParser
import PedigreeAuthoring
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy export DIR`: the embedded policy set, written out to edit.
struct PolicyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the policy set built into this executable to a folder, to edit or review.",
        discussion: """
            Writes licences/, models/, classification.yaml, schema/, tests/, examples/ and \
            README.md as shipped with this build, and prints the set's digest. Refuses a \
            folder that already holds files unless --force.

            EXAMPLES
              pedigree policy export shipped-policies
              PEDIGREE_POLICIES=$PWD/Policies pedigree audit model.safetensors --ref …
            """
    )

    @Argument(help: "The folder to write (created if missing).")
    var folder: String

    @Flag(help: "Overwrite files in a folder that is not empty.")
    var force = false

    func run() throws {
        let written = try PolicyExport.write(to: folder, overwrite: force)
        print("wrote \(written.count) files to \(folder) (policy set sha256:\(PolicyFiles.embedded.digest.hex))")
    }
}
