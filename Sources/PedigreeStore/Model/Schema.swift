/// The tables both stores keep, as versioned migrations. Version n is applied once, in
/// order, in a transaction; a store whose schema is newer than this list refuses to run.
///
/// - `results`: one row per audit key (`result_key` is `ResultKey.digest`), the key's parts,
///   the verdict, the audit JSON (opaque) and timings.
/// - `result_inherits`: one row per (result, inherited model id), so `--inherits ID` is an
///   indexed join on both databases instead of a search inside JSON.
/// - `seen_files`: the SHA-256 of each file as last stamped, so an unchanged file is not
///   re-read to learn its key.
/// - `jobs` (PostgreSQL only): the shared work queue, with leases.
enum Schema {
    enum Dialect { case sqlite, postgres }

    static func migrations(_ dialect: Dialect) -> [(version: Int, statements: [String])] {
        let blob = dialect == .sqlite ? "BLOB" : "BYTEA"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        let int = dialect == .sqlite ? "INTEGER" : "BIGINT"
        var v1 = [
            """
            CREATE TABLE results (
                result_key TEXT PRIMARY KEY,
                candidate_sha256 TEXT NOT NULL,
                policy_digest TEXT NOT NULL,
                reference_set TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                candidate_path TEXT NOT NULL,
                verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
                likely_base TEXT,
                audit_json \(blob) NOT NULL,
                compare_seconds \(real) NOT NULL,
                total_seconds \(real) NOT NULL,
                audited_at_ms \(int) NOT NULL
            )
            """,
            "CREATE INDEX results_candidate ON results (candidate_sha256)",
            "CREATE INDEX results_verdict ON results (verdict)",
            """
            CREATE TABLE result_inherits (
                result_key TEXT NOT NULL REFERENCES results (result_key) ON DELETE CASCADE,
                model_id TEXT NOT NULL,
                position \(int) NOT NULL,
                PRIMARY KEY (result_key, model_id)
            )
            """,
            "CREATE INDEX result_inherits_model ON result_inherits (model_id)",
            """
            CREATE TABLE seen_files (
                path TEXT PRIMARY KEY,
                size \(int) NOT NULL,
                modified_ns \(int) NOT NULL,
                inode \(int) NOT NULL,
                sha256 TEXT NOT NULL
            )
            """,
        ]
        if dialect == .postgres {
            v1 += [
                """
                CREATE TABLE jobs (
                    id BIGSERIAL PRIMARY KEY,
                    path TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
                    lease_owner TEXT,
                    lease_until TIMESTAMPTZ,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    result_key TEXT,
                    error TEXT,
                    enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    finished_at TIMESTAMPTZ
                )
                """,
                // One open job per path: enqueueing a folder twice adds nothing.
                "CREATE UNIQUE INDEX jobs_open_path ON jobs (path) WHERE status IN ('queued', 'running')",
                "CREATE INDEX jobs_claimable ON jobs (status, lease_until, id)",
            ]
        }
        return [(1, v1)]
    }

    static var latestVersion: Int { migrations(.sqlite).map(\.version).max() ?? 0 }
}
