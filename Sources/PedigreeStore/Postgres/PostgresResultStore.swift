import Foundation
import PedigreeLineage
import PostgresNIO

/// The shared store: the same tables as SQLite on a PostgreSQL server, plus the job queue
/// (`PostgresJobQueue.swift`). Writes are idempotent (`ON CONFLICT`), so a result recorded
/// twice, by two workers or by a retried job, is one row.
///
/// SAFETY: `@unchecked Sendable` because `client` is itself thread-safe and `runTask` is
/// set once in `init`.
public final class PostgresResultStore: ResultStore, @unchecked Sendable {
    public let location: String
    let client: PostgresClient
    let logger = Logger(label: "pedigree.store")
    private let runTask: Task<Void, Never>

    public init(url: PostgresURL) throws {
        location = url.display
        let configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        let client = PostgresClient(configuration: configuration)
        self.client = client
        runTask = Task.detached(executorPreference: StoreExecutor.shared) { await client.run() }
        // One direct connection first: the pool retries a refused connection forever, a
        // direct connect fails at once (or after its 10 s timeout) with the server's reason.
        do {
            let probe = PostgresConnection.Configuration(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
            try blocking { [logger] in
                let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
                try await connection.close()
            }
        } catch {
            runTask.cancel()
            throw StoreError.cannotOpen(location: location, reason: Self.reason(error))
        }
        try migrate()
    }

    /// Applies missing migrations under an advisory lock, so workers starting together do
    /// not race to create the tables.
    private func migrate() throws {
        let location = self.location
        let migrations = Schema.migrations(.postgres)
        do {
            try blocking { [client, logger] in
                try await client.withTransaction(logger: logger) { connection in
                    for try await _ in try await connection.query("SELECT pg_advisory_xact_lock(74207416)::text", logger: logger) {}
                    try await connection.query("""
                        CREATE TABLE IF NOT EXISTS pedigree_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                        """, logger: logger)
                    var current = 0
                    for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM pedigree_schema", logger: logger).decode(Int.self) {
                        current = version
                    }
                    let latest = migrations.map(\.version).max() ?? 0
                    if current > latest { throw StoreError.newerSchema(location: location, found: current, known: latest) }
                    for migration in migrations where migration.version > current {
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("INSERT INTO pedigree_schema (version) VALUES (\(migration.version))", logger: logger)
                    }
                }
            }
        } catch {
            if let store = Self.storeError(error) { throw store }
            throw StoreError.migration(location: location, reason: Self.reason(error))
        }
    }

    public func result(for key: ResultKey) throws -> StoredResult? {
        let digest = key.digest
        return try guarded("reading a result") { [client, logger] in
            let rows = try await client.query(PostgresQuery(unsafeSQL: Self.selectResults + " WHERE result_key = $1", binds: Self.binds(digest)), logger: logger)
            return try await Self.decode(rows).first
        }
    }

    public func knownHash(_ stamp: FileStamp) throws -> String? {
        try guarded("reading a file stamp") { [client, logger] in
            let rows = try await client.query("""
                SELECT sha256 FROM seen_files WHERE path = \(stamp.path) AND size = \(stamp.size)
                    AND modified_ns = \(stamp.modifiedNanoseconds) AND inode = \(stamp.inode)
                """, logger: logger)
            for try await hash in rows.decode(String.self) { return hash }
            return nil
        }
    }

    @discardableResult
    public func record(_ result: StoredResult, stamp: FileStamp?, replace: Bool) throws -> Bool {
        try guarded("recording a result") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await Self.record(result, stamp: stamp, replace: replace, on: connection, logger: logger)
            }
        }
    }

    /// The write itself, on a connection already in a transaction (a job's completion uses
    /// the same statements in its own transaction).
    static func record(_ result: StoredResult, stamp: FileStamp?, replace: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let key = result.key
        let digest = key.digest
        if let stamp {
            try await connection.query("""
                INSERT INTO seen_files (path, size, modified_ns, inode, sha256)
                VALUES (\(stamp.path), \(stamp.size), \(stamp.modifiedNanoseconds), \(stamp.inode), \(key.candidateSHA256))
                ON CONFLICT (path) DO UPDATE SET size = EXCLUDED.size, modified_ns = EXCLUDED.modified_ns,
                    inode = EXCLUDED.inode, sha256 = EXCLUDED.sha256
                """, logger: logger)
        }
        if replace {
            try await connection.query("DELETE FROM results WHERE result_key = \(digest)", logger: logger)
        }
        let auditedMs = Int64((result.auditedAt.timeIntervalSince1970 * 1000).rounded())
        let inserted = try await connection.query("""
            INSERT INTO results (result_key, candidate_sha256, policy_digest, reference_set, tool_version, candidate_path,
                verdict, likely_base, audit_json, compare_seconds, total_seconds, audited_at_ms)
            VALUES (\(digest), \(key.candidateSHA256), \(key.policyDigest), \(key.referenceSet), \(key.toolVersion),
                \(result.candidatePath), \(result.verdict.rawValue), \(result.likelyBase), \(result.auditJSON),
                \(result.compareSeconds), \(result.totalSeconds), \(auditedMs))
            ON CONFLICT (result_key) DO NOTHING
            RETURNING result_key
            """, logger: logger)
        var wrote = false
        for try await _ in inserted.decode(String.self) { wrote = true }
        guard wrote else { return false }
        for (position, id) in result.inherited.enumerated() {
            try await connection.query("""
                INSERT INTO result_inherits (result_key, model_id, position) VALUES (\(digest), \(id), \(position))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        return true
    }

    public func results(_ filter: ResultFilter) throws -> [StoredResult] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        if let verdict = filter.verdict {
            binds.append(verdict.rawValue)
            conditions.append("verdict = $\(binds.count)")
        }
        if let inherits = filter.inherits {
            binds.append(inherits)
            conditions.append("EXISTS (SELECT 1 FROM result_inherits i WHERE i.result_key = results.result_key AND i.model_id = $\(binds.count))")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = Self.selectResults + whereClause + " ORDER BY candidate_path, audited_at_ms, result_key"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try guarded("querying results") { [client, logger] in
            try await Self.decode(try await client.query(query, logger: logger))
        }
    }

    public func close() {
        runTask.cancel()
    }

    deinit { runTask.cancel() }

    static let selectResults = """
        SELECT result_key, candidate_sha256, policy_digest, reference_set, tool_version, candidate_path, verdict, likely_base,
            audit_json, compare_seconds, total_seconds, audited_at_ms,
            ARRAY(SELECT model_id FROM result_inherits i WHERE i.result_key = results.result_key ORDER BY position) AS inherited
        FROM results
        """

    static func binds(_ values: String...) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [StoredResult] {
        var results: [StoredResult] = []
        for try await row in rows {
            let (_, sha, policy, refs, tool, path, verdict, base, audit, compare, total, auditedMs, inherited) = try row.decode(
                (String, String, String, String, String, String, String, String?, Data, Double, Double, Int64, [String]).self)
            results.append(StoredResult(
                key: ResultKey(candidateSHA256: sha, policyDigest: policy, referenceSet: refs, toolVersion: tool),
                candidatePath: path, verdict: Verdict(rawValue: verdict) ?? .fail, likelyBase: base, inherited: inherited,
                auditJSON: audit, compareSeconds: compare, totalSeconds: total,
                auditedAt: Date(timeIntervalSince1970: Double(auditedMs) / 1000)))
        }
        return results
    }

    func guarded<T>(_ operation: String, _ body: @escaping @Sendable () async throws -> T) throws -> T {
        do { return try blocking(body) } catch {
            if let store = Self.storeError(error) { throw store }
            throw StoreError.query(location: location, operation: operation, reason: Self.reason(error))
        }
    }

    static func storeError(_ error: any Error) -> StoreError? {
        if let store = error as? StoreError { return store }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError { return storeError(inner) }
        return nil
    }

    /// The server's own message when there is one (PSQLError's description hides it).
    static func reason(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError { return reason(inner) }
            if let inner = transaction.beginError { return reason(inner) }
            if let inner = transaction.commitError { return reason(inner) }
        }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] { return message }
            return "\(psql.code)"
        }
        return String(describing: error)
    }
}
