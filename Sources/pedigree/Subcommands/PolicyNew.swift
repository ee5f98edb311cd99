import ArgumentParser
import Foundation
import PedigreeAuthoring
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy new model|licence ID`: writes a scaffold that lints, with TODO facts.
struct PolicyNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new model or licence file with every required field and TODO placeholders.",
        discussion: """
            The file is written into the policy folder (models/ID.yaml or licences/ID.yaml) \
            unless -o is given, and only if the set still loads with it. Its facts are \
            placeholders: 'TODO …' text and https://todo.invalid/… sources, which \
            `policy lint` reports as warnings and `policy lint --strict` refuses until \
            they are filled in. A model takes its licence (unless --licence) and its \
            prediction type from its first parent.

            EXAMPLES
              pedigree policy new model my-merge-xl --parent noobai-xl-eps-1.0 --parent illustrious-xl-v0.1
              pedigree policy new model my-base --licence creativeml-openrail++-m
              pedigree policy new licence my-licence --extends faipl-1.0-sd
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case model, licence }

    @Argument(help: "What to create: model or licence.")
    var kind: Kind

    @Argument(help: "The new id (lower-case letters, digits, '.', '-', '_', '+').")
    var id: String

    @Option(help: "A parent model id (models only). Repeat for a merge.")
    var parent: [String] = []

    @Option(help: "The model's licence id (models only; default: the first parent's).")
    var licence: String?

    @Option(name: .customLong("extends"), help: "The licence these terms add to (licences only).")
    var extendsLicence: String?

    @Option(help: "The policy folder (default: $PEDIGREE_POLICIES, Policies/ here, next to the executable).")
    var policies: String?

    @Option(name: [.customShort("o"), .long], help: "Write here instead of the policy folder (- for stdout).")
    var output: String?

    func validate() throws {
        if kind == .licence, !parent.isEmpty || licence != nil { throw ValidationError("--parent and --licence are for models") }
        if kind == .model, extendsLicence != nil { throw ValidationError("--extends is for licences") }
    }

    func run() throws {
        let (set, location) = try PolicyLoader.locateAndLoadWithPlace(explicit: policies)
        let text = kind == .model
            ? try PolicyScaffold.model(id: id, parents: parent, licence: licence, in: set)
            : try PolicyScaffold.licence(id: id, extends: extendsLicence, in: set)
        let relative = (kind == .model ? PolicyLoader.modelsFolder : PolicyLoader.licencesFolder) + "/\(id).yaml"
        // The set must still load with the new file, checked before anything is written.
        var files: PolicyFiles
        switch location {
        case .folder(let folder): files = PolicyFiles.read(folder: folder)
        case .embedded: files = .embedded
        }
        files.contents[relative] = Data(text.utf8)
        if case .failure(let problems) = PolicyLoader.load(files) { throw problems }
        if output == "-" { printReport(text); return }
        let target: String
        if let output { target = output } else {
            guard case .folder(let folder) = location else { throw AuthoringError.embeddedSet(action: "write into") }
            target = folder + "/" + relative
        }
        if FileManager.default.fileExists(atPath: target) { throw AuthoringError.alreadyExists(kind: "file", id: target) }
        try AtomicFile.write(text, to: target)
        Terminal.diagnostic("wrote \(target): fill in every TODO, then `pedigree policy lint --strict`")
    }
}
