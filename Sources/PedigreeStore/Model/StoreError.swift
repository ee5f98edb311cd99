import PedigreeSupport

/// Everything that can go wrong with a result store or the job queue. One line each, with
/// the store's location (a path, or a PostgreSQL URL without its password) and a stable code.
public enum StoreError: PedigreeError, Equatable {
    case badLocation(location: String, reason: String)
    case cannotOpen(location: String, reason: String)
    case migration(location: String, reason: String)
    case query(location: String, operation: String, reason: String)
    case needsPostgres(command: String)
    case newerSchema(location: String, found: Int, known: Int)

    public var code: String {
        switch self {
        case .badLocation: "DB001"
        case .cannotOpen: "DB002"
        case .migration: "DB003"
        case .query: "DB004"
        case .needsPostgres: "DB005"
        case .newerSchema: "DB006"
        }
    }

    public var message: String {
        switch self {
        case let .badLocation(location, reason): "\(location): not a usable result store location: \(reason)"
        case let .cannotOpen(location, reason): "\(location): cannot open the result store: \(reason)"
        case let .migration(location, reason): "\(location): cannot bring the store's schema up to date: \(reason)"
        case let .query(location, operation, reason): "\(location): \(operation) failed: \(reason)"
        case let .needsPostgres(command): "\(command) needs a shared queue: give --db postgres://USER@HOST:PORT/DATABASE"
        case let .newerSchema(location, found, known):
            "\(location): the store's schema is version \(found), newer than this pedigree knows (\(known)); upgrade pedigree"
        }
    }

    /// Store failures are environmental (server down, disk full), not bad user files, but a
    /// wrong location is bad input; both exit 2 so scripts see "not a clean result".
    public var exitStatus: ExitStatus { .invalidInput }
}
