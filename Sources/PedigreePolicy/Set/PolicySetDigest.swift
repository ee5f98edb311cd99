import Crypto
import Foundation
import PedigreeSupport

/// One SHA-256 that changes whenever any policy file changes: over the sorted relative
/// paths of the folder's YAML files and their bytes. Stored results are keyed by it, so an
/// edited licence or band re-audits everything it could affect, and nothing else does.
///
/// Each file contributes `path NUL length NUL bytes`, so no two different folders can
/// produce the same byte stream (a path cannot contain NUL, and the length fixes where
/// the bytes end).
public enum PolicySetDigest {
    public static func digest(folder: String) throws -> String {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        let files = policyFiles(under: root)
        var hasher = SHA256()
        for relative in files {
            let url = root.appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw PolicyDigestError.unreadable(path: url.path)
            }
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: Data(String(data.count).utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: data)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Relative paths of every `.yaml`/`.yml` file under `root`, sorted by their UTF-8 bytes
    /// (not by locale) so the digest is the same on every machine.
    static func policyFiles(under root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var found: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            let ext = url.pathExtension.lowercased()
            guard ext == "yaml" || ext == "yml",
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            found.append(String(path.dropFirst(prefix.count)))
        }
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// A policy file listed but not readable while digesting the set.
public enum PolicyDigestError: PedigreeError, Equatable {
    case unreadable(path: String)

    public var code: String { "PD001" }
    public var message: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read this policy file to digest the policy set"
        }
    }
}
