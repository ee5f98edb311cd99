import Foundation
import PedigreeSupport

/// What happened to one candidate.
public enum CandidateOutcome: Sendable {
    /// Audited now (and recorded, unless an identical result was already there).
    case audited(StoredResult)
    /// Already in the store under the same key; not read again.
    case stored(StoredResult)
    /// Not audited: the one-line error and its stable code.
    case failed(code: String, message: String)

    public var result: StoredResult? {
        switch self {
        case .audited(let r), .stored(let r): r
        case .failed: nil
        }
    }
}

/// The steps `scan` and `worker` share for one candidate: look the file up by its stamp,
/// skip it when its key is stored (unless forced), else audit it.
public struct CandidateProcessor: Sendable {
    public let context: AuditContext
    public let store: any ResultStore
    public let force: Bool

    public init(context: AuditContext, store: any ResultStore, force: Bool) {
        self.context = context
        self.store = store
        self.force = force
    }

    /// The stored result for an unchanged file already audited under the current key.
    public func storedResult(for path: String, stamp: FileStamp?) throws -> StoredResult? {
        guard !force, let stamp, let sha = try store.knownHash(stamp) else { return nil }
        return try store.result(for: context.key(candidateSHA256: sha))
    }

    /// Audits (or skips) and records, for `scan`.
    public func process(_ path: String) -> CandidateOutcome {
        do {
            let stamp = FileStamp.of(path)
            if var stored = try storedResult(for: path, stamp: stamp) {
                stored.candidatePath = path
                return .stored(stored)
            }
            let result = try context.audit(candidate: path)
            // The same bytes may sit at two paths: the second finds the key taken (without
            // --force) and the store keeps one row; the file is still reported, once.
            try store.record(result, stamp: stamp, replace: force)
            return .audited(result)
        } catch {
            return Self.failure(error)
        }
    }

    static func failure(_ error: any Error) -> CandidateOutcome {
        if let known = error as? any PedigreeError { return .failed(code: known.code, message: known.message) }
        return .failed(code: "INTERNAL", message: String(describing: error))
    }
}
