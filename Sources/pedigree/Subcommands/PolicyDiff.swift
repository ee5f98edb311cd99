import ArgumentParser
import PedigreeAuthoring
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy diff OLD NEW`: what a change to the policies does.
struct PolicyDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a policy change does: obligations per model, inheritance, licences, bands.",
        discussion: """
            Both folders must load. For every model, lists the obligations it passes on \
            (as licence/obligation) that were added, removed or changed — through its own \
            licence, its ancestors' and `extends` — and the ancestors it gained or lost; \
            then model and licence edits and band and threshold changes. What a reviewer \
            reads on a policy pull request. Exit 0 whether or not anything changed.

            EXAMPLES
              pedigree policy diff shipped-policies Policies
              pedigree policy diff shipped-policies Policies --format json
            """
    )

    @Argument(help: "The policy folder before the change.")
    var old: String

    @Argument(help: "The policy folder after the change.")
    var new: String

    @Option(help: "Output format: text or json.")
    var format: PolicyOutputFormat = .text

    func run() throws {
        func load(_ folder: String) throws -> PolicySet {
            switch PolicyLoader.load(folder: folder) {
            case .success(let set): return set
            case .failure(let problems): throw problems
            }
        }
        let diff = PolicyDiff.between(try load(old), try load(new))
        switch format {
        case .json: printReport(try PedigreeJSON.string(diff))
        case .text: printReport(PolicyDiffText.render(diff, old: old, new: new))
        }
    }
}

/// The text rendering of `policy diff`.
enum PolicyDiffText {
    static func render(_ diff: PolicyDiff, old: String, new: String) -> String {
        var lines = ["policy diff \(old) → \(new)"]
        if let a = diff.old, let b = diff.new { lines.append("digest \(a.digest.hex.prefix(12)) → \(b.digest.hex.prefix(12))") }
        if diff.isEmpty { return (lines + ["no change to models, licences, obligations, inheritance or bands"]).joined(separator: "\n") }
        if !diff.obligations.isEmpty {
            lines += ["", "OBLIGATIONS PASSED ON, PER MODEL"]
            for item in diff.obligations {
                lines.append(item.model)
                lines += item.added.map { "  + \($0)" } + item.removed.map { "  - \($0)" } + item.changed.map { "  ~ \($0)" }
            }
        }
        if !diff.inheritance.isEmpty {
            lines += ["", "INHERITANCE (ancestors whose licences reach the model)"]
            for item in diff.inheritance {
                lines.append(item.model)
                lines += item.added.map { "  + \($0)" } + item.removed.map { "  - \($0)" }
            }
        }
        for (title, entries) in [("MODELS", diff.models), ("LICENCES", diff.licences)] where !entries.isEmpty {
            lines += ["", title]
            for entry in entries {
                let mark = switch entry.change { case .added: "+"; case .removed: "-"; case .changed: "~" }
                lines.append("\(mark) \(entry.id)")
                lines += entry.details.map { "    \($0)" }
            }
        }
        if !diff.classification.isEmpty {
            lines += ["", "CLASSIFICATION (bands and thresholds)"] + diff.classification.map { "  ~ \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
