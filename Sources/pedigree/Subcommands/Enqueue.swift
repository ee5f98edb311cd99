import ArgumentParser
import PedigreeStore
import PedigreeSupport

struct Enqueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add checkpoints to a hub's shared queue for `pedigree worker` to audit.",
        discussion: """
            Finds checkpoints as scan does (files, folders, lists of paths) and adds one job per \
            path to the PostgreSQL queue; a path already queued or running is not added twice. \
            Paths are stored as given here, absolute: every worker must see the files at the \
            same paths (a shared mount).

            EXAMPLES
              pedigree enqueue --db postgres://pedigree@db.hub.internal:5432/pedigree uploads/
              pedigree enqueue --db postgres://pedigree@localhost/pedigree new-uploads.txt
            """)

    @Option(help: ArgumentHelp("The shared store: postgres://USER@HOST:PORT/DATABASE.", valueName: "url"))
    var db: String

    @Argument(help: "Checkpoints, folders (searched recursively) or lists of paths (*.txt, *.list).")
    var paths: [String]

    func run() throws {
        guard case let .postgres(url) = try StoreLocation.parse(db) else { throw StoreError.needsPostgres(command: "enqueue") }
        let candidates = try CandidateFinder.find(paths)
        let store = try PostgresResultStore(url: url)
        defer { store.close() }
        let added = try store.enqueue(candidates)
        printReport("enqueued \(added) of \(candidates.count) file\(candidates.count == 1 ? "" : "s") (\(candidates.count - added) already queued or running)")
    }
}
