import Crypto
import Foundation

/// One value that names the exact policy files an audit was judged by, so an attestation
/// or a stamped checkpoint can say "these rules", and a hub can insist on a set it trusts.
///
/// Definition (`pedigree.policy-set/1`): the files the loader reads — `licences/*.yaml|yml`,
/// `models/*.yaml|yml` and `classification.yaml` — ordered by their relative paths
/// (`licences/faipl-1.0-sd.yaml`, compared as UTF-8 bytes); for each, its relative path in
/// UTF-8, a NUL byte, its length in bytes as ASCII decimal, a NUL byte, then its bytes. The
/// digest is the SHA-256 of that stream, in lower-case hex. The path and the length frame
/// each file, so no two different sets give the same stream. Fingerprint files are not
/// included: they are data the rules point at, identified by their own hashes in the report.
public struct PolicySetDigest: Sendable, Codable, Equatable {
    public static let algorithm = "pedigree.policy-set/1"

    /// Lower-case hex SHA-256 as defined above.
    public var digest: String
    /// How the digest was computed (`pedigree.policy-set/1`).
    public var algorithm: String
    /// How many files it covers.
    public var files: Int

    public init(digest: String, algorithm: String = PolicySetDigest.algorithm, files: Int) {
        self.digest = digest
        self.algorithm = algorithm
        self.files = files
    }

    /// The relative paths of the files covered, in digest order.
    public static func files(in folder: String) -> [String] {
        var paths: [String] = []
        for sub in [PolicyLoader.licencesFolder, PolicyLoader.modelsFolder] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: PolicyLoader.join(folder, sub))) ?? []
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { sub + "/" + $0 }
        }
        if FileManager.default.fileExists(atPath: PolicyLoader.join(folder, PolicyLoader.classificationFile)) {
            paths.append(PolicyLoader.classificationFile)
        }
        return paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Computes the digest of the policy folder `folder`; nil when a file cannot be read
    /// (the loader reports that itself) or the folder has no policy files.
    public static func compute(folder: String) -> PolicySetDigest? {
        let paths = files(in: folder)
        guard !paths.isEmpty else { return nil }
        var hasher = SHA256()
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: PolicyLoader.join(folder, path)) else { return nil }
            hasher.update(data: Data(path.utf8) + [0] + Data(String(bytes.count).utf8) + [0])
            hasher.update(data: bytes)
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return PolicySetDigest(digest: hex, files: paths.count)
    }
}

extension PolicySet {
    /// The digest of the files this set was loaded from (see `PolicySetDigest`), read again
    /// from `folder`; nil for a set assembled in memory with no folder behind it.
    public func contentDigest() -> PolicySetDigest? { PolicySetDigest.compute(folder: folder) }
}
