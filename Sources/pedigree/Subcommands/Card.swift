import ArgumentParser
import Foundation
import PedigreeReports
import PedigreeSupport

struct Card: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Update a Hugging Face model card (README.md) from an audit.",
        discussion: """
            Merges the licence and lineage the audit computed into the card's YAML front \
            matter — license, license_name, license_link, base_model, base_model_relation and \
            Pedigree's tags (pedigree-audited, pedigree-pass or pedigree-fail) — keeping every \
            other key and the body byte for byte, and writes a "Licence and lineage" section \
            between the markers <!-- pedigree:lineage:begin --> and <!-- pedigree:lineage:end \
            --> (replaced in place on later runs, appended the first time). A card without \
            front matter gets one. Running it twice with the same audit changes nothing.

            The card is rewritten atomically in place, or written to -o. Keys the audit has no \
            value for are left alone; license_name and license_link are removed when the \
            audit's licence is not `other`.

            EXAMPLES
              pedigree card README.md --from Reports/my-merge.json
              pedigree card README.md --from Reports/my-merge.json -o upload/README.md
            """)

    @Argument(help: "The model card to update (Markdown with optional YAML front matter).")
    var card: String

    @Option(name: .customLong("from"), help: ArgumentHelp("The audit report (JSON, from `pedigree audit`).", valueName: "audit.json"))
    var audit: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the updated card here instead of in place.")
    var output: String?

    @Option(help: "The policy folder, for licence names and links (default: Policies/ if found).")
    var policies: String?

    func run() throws {
        let document = try AuditDocument.load(path: audit)
        let policySet = try optionalPolicies(policies)
        let original = try readInput(card, limit: CardMerger.maxBytes)
        let merged = try CardMerger(policies: policySet).merge(original, path: card, audit: document)
        let target = output ?? card
        if output == nil, merged == original {
            Terminal.diagnostic("card: \(card) already up to date")
            return
        }
        try AtomicFile.write(merged, to: target)
        Terminal.diagnostic("card: wrote \(target) (\(document.verdict), licence \(document.modelCard.licenseName ?? document.modelCard.license ?? "unchanged"))")
    }
}
