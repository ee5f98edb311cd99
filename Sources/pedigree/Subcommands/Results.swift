import ArgumentParser
import PedigreeLineage
import PedigreeReports
import PedigreeStore

extension Verdict: ExpressibleByArgument {}

struct Results: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query and export the result store that scan and worker fill.",
        discussion: """
            Lists stored audits, optionally only one verdict or only those inheriting from a \
            model, as text, JSON (each audit's full report embedded) or CSV. Reads the SQLite \
            file or the PostgreSQL database alike.

            EXAMPLES
              pedigree results --verdict fail
              pedigree results --inherits noobai-xl-eps-1.0 --format csv > noobai-derivatives.csv
              pedigree results --db postgres://pedigree@db.hub.internal:5432/pedigree --format json
            """)

    @Option(help: ArgumentHelp("The result store: a SQLite file, or postgres://USER@HOST:PORT/DATABASE.", valueName: "file|url"))
    var db: String?

    @Option(help: "Only results with this verdict: pass or fail.")
    var verdict: Verdict?

    @Option(help: ArgumentHelp("Only results inheriting from this model id.", valueName: "id"))
    var inherits: String?

    @Option(help: "Output format: text, json or csv.")
    var format: ReportFormat = .text

    func validate() throws { try ReportFormat.check(format, allowed: ResultsRenderer.formats) }

    func run() throws {
        let store = try StoreLocation.parse(db).open()
        defer { store.close() }
        let results = try store.results(ResultFilter(verdict: verdict, inherits: inherits))
        printReport(ResultsRenderer.render(results, format: format))
    }
}
