import Foundation
import PedigreeFormat
import PedigreeLineage
import PedigreeSupport

/// One audit as the store keeps it. The audit JSON is kept whole and opaque, so the store
/// survives changes to the report's shape; the columns beside it are what queries filter on.
public struct StoredResult: Sendable, Equatable {
    public var key: ResultKey
    public var candidatePath: String
    public var verdict: Verdict
    public var likelyBase: String?
    /// Every model whose licence reaches the candidate (the report's `inherits_from`).
    public var inherited: [String]
    public var auditJSON: Data
    public var compareSeconds: Double
    public var totalSeconds: Double
    public var auditedAt: Date

    public init(key: ResultKey, candidatePath: String, verdict: Verdict, likelyBase: String?, inherited: [String],
                auditJSON: Data, compareSeconds: Double, totalSeconds: Double, auditedAt: Date) {
        self.key = key
        self.candidatePath = candidatePath
        self.verdict = verdict
        self.likelyBase = likelyBase
        self.inherited = inherited
        self.auditJSON = auditJSON
        self.compareSeconds = compareSeconds
        self.totalSeconds = totalSeconds
        self.auditedAt = auditedAt
    }
}

/// A file as last seen (path, size, modification time, inode) with the SHA-256 it had: a
/// re-scan finds an unchanged file's hash here without reading it.
public struct FileStamp: Sendable, Equatable {
    public let path: String
    public let size: Int64
    public let modifiedNanoseconds: Int64
    public let inode: Int64

    public init(path: String, size: Int64, modifiedNanoseconds: Int64, inode: Int64) {
        self.path = path
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }

    /// The stamp of the file at `path` now, or nil when it cannot be stat'ed or is a
    /// checkpoint in several files (a folder's or an index's stamp does not change when a
    /// shard is rewritten, so such a candidate is always identified by its files' hashes).
    public static func of(_ path: String) -> FileStamp? {
        guard !MappedCheckpoint.isMultiFile(path) else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = info.modificationTime.nanoseconds
        return FileStamp(path: path, size: Int64(info.st_size), modifiedNanoseconds: modified, inode: Int64(bitPattern: UInt64(info.st_ino)))
    }
}

/// What `pedigree results` asks for.
public struct ResultFilter: Sendable, Equatable {
    public var verdict: Verdict?
    public var inherits: String?
    public init(verdict: Verdict? = nil, inherits: String? = nil) {
        self.verdict = verdict
        self.inherits = inherits
    }
}

/// A result store: SQLite on one machine, PostgreSQL shared by many. Both keep the same
/// tables; writes are idempotent (a key recorded twice is one row).
public protocol ResultStore: AnyObject, Sendable {
    /// The store's location for messages (never a password).
    var location: String { get }
    /// The stored result under `key`, if any.
    func result(for key: ResultKey) throws -> StoredResult?
    /// The SHA-256 recorded for a file whose stamp is unchanged.
    func knownHash(_ stamp: FileStamp) throws -> String?
    /// Records a result and the file's stamp in one transaction. `replace` overwrites an
    /// existing row under the same key (--force); otherwise an existing row is kept.
    /// Returns whether a row was written.
    @discardableResult
    func record(_ result: StoredResult, stamp: FileStamp?, replace: Bool) throws -> Bool
    /// Results matching `filter`, by candidate path then audit time.
    func results(_ filter: ResultFilter) throws -> [StoredResult]
    /// Releases connections.
    func close()
}
