import Foundation
import PostgresNIO

/// A claimed job: which file, under which lease.
public struct ClaimedJob: Sendable, Equatable {
    public let id: Int64
    public let path: String
    public let attempts: Int
}

/// How the queue stands: what workers may still claim or are working on.
public struct QueueCounts: Sendable, Equatable {
    public var queued = 0
    public var running = 0
    public var done = 0
    public var failed = 0
}

/// The shared work queue on PostgreSQL.
///
/// A worker claims the oldest claimable job (`queued`, or `running` under an expired lease,
/// the job of a worker that died) with `FOR UPDATE SKIP LOCKED`, so workers never wait on
/// each other's rows and never take the same job. It renews its lease while it works. It
/// completes the job and writes the result in one transaction, and only while it still
/// holds the lease; a worker that lost its lease writes nothing, and whoever took the job
/// over writes the (identical, idempotent) result instead.
extension PostgresResultStore {
    /// Jobs a worker gives up on after this many claims (a file that crashes workers).
    public static let maxAttempts = 5

    /// Adds one job per path not already queued or running. Returns how many were added.
    public func enqueue(_ paths: [String]) throws -> Int {
        try guarded("enqueueing jobs") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                var added = 0
                for path in paths {
                    let rows = try await connection.query("""
                        INSERT INTO jobs (path) VALUES (\(path))
                        ON CONFLICT (path) WHERE status IN ('queued', 'running') DO NOTHING
                        RETURNING id
                        """, logger: logger)
                    for try await _ in rows.decode(Int64.self) { added += 1 }
                }
                return added
            }
        }
    }

    /// Claims one job for `owner` under a lease of `leaseSeconds`, or nil when none is claimable.
    public func claim(owner: String, leaseSeconds: Double) throws -> ClaimedJob? {
        let lease = Self.interval(leaseSeconds)
        let maxAttempts = Self.maxAttempts
        return try guarded("claiming a job") { [client, logger] in
            let rows = try await client.query("""
                UPDATE jobs SET status = 'running', lease_owner = \(owner), lease_until = now() + \(lease)::interval,
                    attempts = attempts + 1
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE (status = 'queued' OR (status = 'running' AND lease_until < now())) AND attempts < \(maxAttempts)
                    ORDER BY id
                    FOR UPDATE SKIP LOCKED
                    LIMIT 1)
                RETURNING id, path, attempts
                """, logger: logger)
            for try await (id, path, attempts) in rows.decode((Int64, String, Int32).self) {
                return ClaimedJob(id: id, path: path, attempts: Int(attempts))
            }
            return nil
        }
    }

    /// Extends the lease; false when the job is no longer this owner's (it expired and was
    /// taken over).
    public func renew(_ job: ClaimedJob, owner: String, leaseSeconds: Double) throws -> Bool {
        let lease = Self.interval(leaseSeconds)
        return try guarded("renewing a lease") { [client, logger] in
            let rows = try await client.query("""
                UPDATE jobs SET lease_until = now() + \(lease)::interval
                WHERE id = \(job.id) AND lease_owner = \(owner) AND status = 'running'
                RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Marks the job done and records its result in one transaction. Returns false, writing
    /// nothing, when the lease was lost.
    public func complete(_ job: ClaimedJob, owner: String, result: StoredResult, stamp: FileStamp?, replace: Bool) throws -> Bool {
        try guarded("completing a job") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    UPDATE jobs SET status = 'done', finished_at = now(), result_key = \(result.key.digest), lease_until = NULL
                    WHERE id = \(job.id) AND lease_owner = \(owner) AND status = 'running'
                    RETURNING id
                    """, logger: logger)
                var held = false
                for try await _ in rows.decode(Int64.self) { held = true }
                guard held else { return false }
                _ = try await Self.record(result, stamp: stamp, replace: replace, on: connection, logger: logger)
                return true
            }
        }
    }

    /// Marks the job failed (an invalid file: retrying cannot help) with the one-line error.
    public func fail(_ job: ClaimedJob, owner: String, error: String) throws {
        try guarded("failing a job") { [client, logger] in
            _ = try await client.query("""
                UPDATE jobs SET status = 'failed', finished_at = now(), error = \(error), lease_until = NULL
                WHERE id = \(job.id) AND lease_owner = \(owner) AND status = 'running'
                """, logger: logger)
        }
    }

    public func counts() throws -> QueueCounts {
        try guarded("counting jobs") { [client, logger] in
            var counts = QueueCounts()
            let rows = try await client.query("SELECT status, COUNT(*) FROM jobs GROUP BY status", logger: logger)
            for try await (status, count) in rows.decode((String, Int64).self) {
                switch status {
                case "queued": counts.queued = Int(count)
                case "running": counts.running = Int(count)
                case "done": counts.done = Int(count)
                default: counts.failed += Int(count)
                }
            }
            return counts
        }
    }

    /// Every job's id, path, status, owner and attempts (for tests and `worker` diagnostics).
    public func jobs() throws -> [(id: Int64, path: String, status: String, owner: String?, attempts: Int)] {
        try guarded("listing jobs") { [client, logger] in
            var jobs: [(id: Int64, path: String, status: String, owner: String?, attempts: Int)] = []
            let rows = try await client.query("SELECT id, path, status, lease_owner, attempts FROM jobs ORDER BY id", logger: logger)
            for try await (id, path, status, owner, attempts) in rows.decode((Int64, String, String, String?, Int32).self) {
                jobs.append((id, path, status, owner, Int(attempts)))
            }
            return jobs
        }
    }

    /// Seconds as a PostgreSQL interval literal, bound as text and cast.
    static func interval(_ seconds: Double) -> String {
        String(format: "%.3f seconds", max(seconds, 0.001))
    }
}
