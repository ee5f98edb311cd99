import Foundation

/// Where results live: a SQLite file (the default, under the user's data folder) or a
/// PostgreSQL database named by a `postgres://` URL.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// `--db` as given, or the default file: `$XDG_DATA_HOME/pedigree/results.sqlite`, else
    /// `~/.local/share/pedigree/results.sqlite`.
    public static func parse(_ argument: String?) throws -> StoreLocation {
        guard let argument, !argument.isEmpty else { return .sqlite(path: defaultSQLitePath()) }
        if argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://") {
            return .postgres(try PostgresURL(argument))
        }
        if argument.contains("://") {
            throw StoreError.badLocation(location: argument, reason: "only postgres:// URLs and file paths are understood")
        }
        return .sqlite(path: argument)
    }

    public static func defaultSQLitePath() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.local/share"
        return base + "/pedigree/results.sqlite"
    }

    /// Opens (and migrates) the store.
    public func open() throws -> any ResultStore {
        switch self {
        case .sqlite(let path): try SQLiteResultStore(path: path)
        case .postgres(let url): try PostgresResultStore(url: url)
        }
    }
}

/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. The password may also come from
/// `$PGPASSWORD`, so it need not appear on a command line (where `ps` shows it).
public struct PostgresURL: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw StoreError.badLocation(location: Self.redacted(text), reason: "expected postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.badLocation(location: Self.redacted(text), reason: "name the database after the host: postgres://USER@HOST:PORT/DATABASE")
        }
        let port = components.port ?? 5432
        guard (1 ... 65535).contains(port) else {
            throw StoreError.badLocation(location: Self.redacted(text), reason: "port \(port) is out of range")
        }
        self.host = host
        self.port = port
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        self.database = database.removingPercentEncoding ?? database
    }

    /// The URL for messages: never the password.
    public var display: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}
