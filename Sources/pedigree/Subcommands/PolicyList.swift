import ArgumentParser
import PedigreePolicy
import PedigreeSupport

/// `pedigree policy list`: the models and licences in the policy set.
struct PolicyList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the base models and licences in the policy set.",
        discussion: """
            EXAMPLES
              pedigree policy list
              pedigree policy list --policies ./Policies --format json
            """
    )

    @Option(help: "The policy folder (default: Policies/ here, else next to the executable).")
    var policies: String?

    @Option(help: "Output format: text or json.")
    var format: PolicyOutputFormat = .text

    private struct Listing: Encodable {
        var licences: [Licence]
        var models: [BaseModel]
    }

    func run() throws {
        let set = try PolicyLoader.locateAndLoad(explicit: policies)
        switch format {
        case .json:
            print(try PedigreeJSON.string(Listing(licences: set.licences, models: set.models)), terminator: "")
        case .text:
            print("MODELS")
            print(TextTable.render(
                header: ["ID", "LICENCE", "PARENTS", "PRED", "PUBLISHER"],
                rows: set.models.map { model in
                    [model.id, model.licence.id + (model.licence.evidence == .primary ? "" : " (?)"),
                     model.parents.map(\.id).joined(separator: ", ").ifEmpty("—"),
                     model.prediction.type.rawValue, model.publisher]
                }))
            print("\nLICENCES")
            print(TextTable.render(
                header: ["ID", "EXTENDS", "COMMERCIAL", "OBLIGATIONS", "NAME"],
                rows: set.licences.map { licence in
                    [licence.id, licence.extends ?? "—", licence.commercialUse.status.rawValue,
                     String(licence.obligations.count), licence.name]
                }))
            print("\n(?) licence known from secondary sources only; see `pedigree policy show ID`.")
        }
    }
}

/// Left-aligned columns separated by two spaces, sized to the widest cell.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
