import Crypto
import Foundation

/// A SHA-256 that names one exact policy set, so a report can say which rules judged it.
///
/// Computed over the files the loader reads, sorted by relative path (byte order), each fed
/// as `path NUL byte-count NUL bytes`; the lengths make the framing unambiguous. The same
/// files give the same digest whether read from a folder or from the embedded copy, and a
/// README or test-case edit does not change it (those files do not change a verdict).
public struct PolicySetDigest: Sendable, Codable, Equatable, Hashable, CustomStringConvertible {
    /// 64 lower-case hex digits.
    public let hex: String

    public init(_ files: [String: Data]) {
        var hasher = SHA256()
        for path in files.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let bytes = files[path] ?? Data()
            hasher.update(data: Data(path.utf8) + Data([0]) + Data(String(bytes.count).utf8) + Data([0]))
            hasher.update(data: bytes)
        }
        hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { "sha256:" + hex }

    public init(from decoder: any Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Which policy set a run used: where it came from and its digest. Reports carry it.
public struct PolicySetIdentity: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case folder, embedded }
    public var kind: Kind
    /// The folder, as found; nil for the embedded set.
    public var path: String?
    public var digest: PolicySetDigest
    public var files: Int

    public init(files: PolicyFiles) {
        switch files.origin {
        case .folder(let path): kind = .folder; self.path = path
        case .embedded: kind = .embedded; path = nil
        }
        digest = files.digest
        self.files = files.contents.count
    }

    /// `folder /path/Policies (sha256:…)` or `embedded set (sha256:…)`, for the terminal.
    public var summary: String { summary(folderName: path ?? "") }

    /// The same for published reports (Markdown, HTML): the folder by its last component,
    /// never the auditor's local path.
    public var publishedSummary: String { summary(folderName: URL(fileURLWithPath: path ?? "").lastPathComponent) }

    private func summary(folderName: String) -> String {
        (kind == .embedded ? "embedded set" : "folder \(folderName)") + " (sha256:\(digest.hex), \(files) files)"
    }
}
