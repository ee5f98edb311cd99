import Testing
import Foundation
import PedigreeLineage
@testable import PedigreeStore
import PedigreeTestSupport

/// Synthetic stored results: the store never looks inside the audit JSON, so these need
/// no checkpoint.
enum StoreFixtures {
    static let references = [ReferenceIdentity(id: "noobai-xl-eps-1.0", sha256: String(repeating: "b", count: 64)),
                             ReferenceIdentity(id: "illustrious-xl-v0.1", sha256: String(repeating: "a", count: 64))]

    static func result(_ n: Int, verdict: Verdict = .fail, inherited: [String] = ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"],
                       policy: String = "p1", path: String? = nil) -> StoredResult {
        let sha = String(format: "%064x", n)
        return StoredResult(
            key: ResultKey(candidateSHA256: sha, policyDigest: policy, references: references, toolVersion: "test"),
            candidatePath: path ?? "/uploads/model-\(n).safetensors", verdict: verdict, likelyBase: inherited.first,
            inherited: inherited, auditJSON: Data(#"{"schema":"pedigree.audit/2","n":\#(n),"attribution":{"x":1}}"#.utf8),
            compareSeconds: 1.5, totalSeconds: 1.75, auditedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
    }

    /// The test server's URL, or nil (see PostgresGate).
    static var postgresURL: String? {
        let value = ProcessInfo.processInfo.environment["PEDIGREE_TEST_POSTGRES"]
        return value?.isEmpty == false ? value : nil
    }

    /// Makes a fresh database on the test server for one test and returns its URL.
    static func freshDatabase() throws -> String {
        guard let base = postgresURL, var components = URLComponents(string: base) else { throw CocoaError(.fileNoSuchFile) }
        let name = "pedigree_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let psql = try runProcess("/usr/bin/env", ["psql", base, "-q", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE \(name)"])
        guard psql.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        components.path = "/" + name
        return components.string!
    }
}

/// PostgreSQL tests run when PEDIGREE_TEST_POSTGRES names a server; without it they are
/// skipped with this reason, except under CI, where `PostgresGateTests` fails instead.
enum PostgresGate {
    static var available: Bool { StoreFixtures.postgresURL != nil }
    static let reason: Comment = "PEDIGREE_TEST_POSTGRES is not set: start a server with Scripts/start-test-postgres.sh and export its URL"
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "0" && $0 != "false" } ?? false }
}
