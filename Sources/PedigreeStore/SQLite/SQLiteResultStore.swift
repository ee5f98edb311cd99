import Foundation
import GRDB
import PedigreeLineage

/// The embedded store: one SQLite file in WAL mode, so `pedigree results` can read while a
/// scan writes. Each result is committed in its own transaction with its file stamp, so a
/// scan killed at any moment has either recorded a result completely or not at all.
///
/// SAFETY: `@unchecked Sendable` because GRDB's `DatabasePool` serialises access itself.
public final class SQLiteResultStore: ResultStore, @unchecked Sendable {
    public let location: String
    private let pool: DatabasePool

    public init(path: String) throws {
        location = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(location: path, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        var configuration = Configuration()
        // Several scans (or a scan and `results`) may share the file; wait for a writer
        // rather than failing.
        configuration.busyMode = .timeout(60)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(location: path, reason: Self.reason(error))
        }
        try migrate()
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations(.sqlite) {
            migrator.registerMigration("v\(migration.version)") { db in
                for statement in migration.statements { try db.execute(sql: statement) }
            }
        }
        do {
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            let known = Set(Schema.migrations(.sqlite).map { "v\($0.version)" })
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw StoreError.newerSchema(location: location, found: Int(unknown.dropFirst()) ?? -1, known: Schema.latestVersion)
            }
            try Self.migrateRacing(migrator, pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.migration(location: location, reason: Self.reason(error))
        }
    }

    /// Two processes opening a new file at once (a scan and `results`, workers starting
    /// together) both read "nothing applied"; the one that waited for the write lock then
    /// fails creating tables the other made. Its transaction rolled back and the schema is
    /// complete, so reading what is applied again and migrating again is a no-op.
    private static func migrateRacing(_ migrator: DatabaseMigrator, _ pool: DatabasePool) throws {
        for attempt in 1 ... 3 {
            do {
                return try migrator.migrate(pool)
            } catch {
                let done = (try? pool.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
                if done { return }
                if attempt == 3 { throw error }
            }
        }
    }

    public func result(for key: ResultKey) throws -> StoredResult? {
        try guarded("reading a result") {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM results WHERE result_key = ?", arguments: [key.digest])
                    .map { try Self.decode($0, db: db) }
            }
        }
    }

    public func knownHash(_ stamp: FileStamp) throws -> String? {
        try guarded("reading a file stamp") {
            try pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT sha256 FROM seen_files WHERE path = ? AND size = ? AND modified_ns = ? AND inode = ?
                    """, arguments: [stamp.path, stamp.size, stamp.modifiedNanoseconds, stamp.inode])
            }
        }
    }

    @discardableResult
    public func record(_ result: StoredResult, stamp: FileStamp?, replace: Bool) throws -> Bool {
        try guarded("recording a result") {
            try pool.write { db in
                let digest = result.key.digest
                if let stamp {
                    try db.execute(sql: """
                        INSERT INTO seen_files (path, size, modified_ns, inode, sha256) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                            inode = excluded.inode, sha256 = excluded.sha256
                        """, arguments: [stamp.path, stamp.size, stamp.modifiedNanoseconds, stamp.inode, result.key.candidateSHA256])
                }
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM results WHERE result_key = ?", arguments: [digest]) ?? false
                if exists && !replace { return false }
                if exists { try db.execute(sql: "DELETE FROM results WHERE result_key = ?", arguments: [digest]) }
                try db.execute(sql: """
                    INSERT INTO results (result_key, candidate_sha256, policy_digest, reference_set, tool_version, candidate_path,
                        verdict, likely_base, audit_json, compare_seconds, total_seconds, audited_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        digest, result.key.candidateSHA256, result.key.policyDigest, result.key.referenceSet, result.key.toolVersion,
                        result.candidatePath, result.verdict.rawValue, result.likelyBase, result.auditJSON,
                        result.compareSeconds, result.totalSeconds, Int64((result.auditedAt.timeIntervalSince1970 * 1000).rounded()),
                    ])
                for (position, id) in result.inherited.enumerated() {
                    try db.execute(sql: "INSERT OR IGNORE INTO result_inherits (result_key, model_id, position) VALUES (?, ?, ?)",
                                   arguments: [digest, id, position])
                }
                return true
            }
        }
    }

    public func results(_ filter: ResultFilter) throws -> [StoredResult] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let verdict = filter.verdict {
            conditions.append("verdict = ?")
            arguments += [verdict.rawValue]
        }
        if let inherits = filter.inherits {
            conditions.append("EXISTS (SELECT 1 FROM result_inherits i WHERE i.result_key = results.result_key AND i.model_id = ?)")
            arguments += [inherits]
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM results" + whereClause + " ORDER BY candidate_path, audited_at_ms, result_key"
        return try guarded("querying results") {
            try pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.decode($0, db: db) } }
        }
    }

    public func close() {
        try? pool.close()
    }

    private static func decode(_ row: Row, db: Database) throws -> StoredResult {
        let digest: String = row["result_key"]
        let inherited = try String.fetchAll(db, sql: "SELECT model_id FROM result_inherits WHERE result_key = ? ORDER BY position", arguments: [digest])
        let verdictText: String = row["verdict"]
        let auditedMs: Int64 = row["audited_at_ms"]
        return StoredResult(
            key: ResultKey(candidateSHA256: row["candidate_sha256"], policyDigest: row["policy_digest"],
                           referenceSet: row["reference_set"], toolVersion: row["tool_version"]),
            candidatePath: row["candidate_path"], verdict: Verdict(rawValue: verdictText) ?? .fail,
            likelyBase: row["likely_base"], inherited: inherited, auditJSON: row["audit_json"],
            compareSeconds: row["compare_seconds"], totalSeconds: row["total_seconds"],
            auditedAt: Date(timeIntervalSince1970: Double(auditedMs) / 1000))
    }

    private func guarded<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw error } catch {
            throw StoreError.query(location: location, operation: operation, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return String(describing: error)
    }
}
