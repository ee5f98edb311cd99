import Foundation
import PedigreeFormat
import PedigreePolicy
import PedigreeSupport

/// What `pedigree identify` says about one path: the known model and file it is (by its
/// SHA-256, through the hash cache), or none; and, apart, the identity the file's own
/// metadata declares, which is a hint only — merge tools copy `modelspec.hash_sha256` from
/// their first input into the merge.
public struct FileIdentification: Sendable, Codable, Equatable {
    /// A hash the file's metadata states about itself.
    public struct DeclaredHash: Sendable, Codable, Equatable {
        /// The metadata key (`modelspec.hash_sha256`).
        public var key: String
        /// The value as written, escaped and cut to 160 characters.
        public var value: String
        /// The known model whose recorded file has that SHA-256, if any: still only a hint.
        public var names: KnownIdentity?
    }

    public enum Kind: String, Sendable, Codable {
        /// A single safetensors file: identified by its SHA-256.
        case file
        /// A diffusers folder or a sharded checkpoint: the policies record single files only.
        case composite
    }

    public var path: String
    public var kind: Kind
    public var sha256: String?
    /// The known model and file, or nil: none.
    public var identity: KnownIdentity?
    public var declared: [DeclaredHash]
    public var note: String?
}

public enum FileIdentifier {
    /// The metadata keys read as "declared by the file" (ModelSpec's own identity hash).
    public static let declaredKeys = ["modelspec.hash_sha256"]

    /// The known model and file a SHA-256 is, if the policies record it.
    public static func identity(sha256: String, policies: PolicySet) -> KnownIdentity? {
        let matches = policies.knownFiles(sha256: sha256)
        guard let first = matches.first else { return nil }
        let file = first.file
        return KnownIdentity(
            model: first.model.id, modelName: first.model.name, file: file.name,
            otherNames: matches.dropFirst().map(\.file.name).filter { $0 != file.name },
            evidence: file.evidence.rawValue, strength: file.strength?.rawValue, source: file.source, revision: file.revision,
            civitai: file.civitai.map { KnownIdentity.Civitai(model: $0.model, version: $0.version, file: $0.file) },
            conflictsWith: file.conflictsWith)
    }

    /// Identifies `paths` in their order, new files hashed concurrently: at most `limit`
    /// SHA-256 streams at once (one a core, as for new references), each path's outcome or
    /// error apart so one bad file does not hide the others. `hashStreams` counts the
    /// streams in flight; `progress` is drawn only when one stream runs at a time, since
    /// several bars cannot share a line.
    public static func identifyAll(paths: [String], policies: PolicySet, cache: HashCache?, limit: Int,
                                   hashStreams: StreamGauge? = nil,
                                   progress: @escaping @Sendable () -> any ProgressSink = { SilentProgress() })
        -> [Result<FileIdentification, any Error>] {
        let width = min(max(1, limit), paths.count)
        do {
            return try BoundedConcurrency.map(paths, limit: width) { _, path in
                Result { () throws -> FileIdentification in
                    let run = { try identify(path: path, policies: policies, cache: cache, progress: width == 1 ? progress() : SilentProgress()) }
                    return try hashStreams.map { try $0.measure(run) } ?? run()
                }
            }
        } catch {
            // `body` returns every error as a value, so `map` has nothing to throw; were it
            // to, each path says so rather than vanishing from the report.
            return paths.map { _ in .failure(error) }
        }
    }

    /// Identifies one candidate path: a safetensors file (judged by its content; a pickle is
    /// refused, ST020), or a folder or shard set, which has no single-file identity.
    public static func identify(path: String, policies: PolicySet, cache: HashCache?,
                                progress: any ProgressSink = SilentProgress()) throws -> FileIdentification {
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue || path.hasSuffix(".index.json") || ShardSet.shardPattern((path as NSString).lastPathComponent) != nil {
            return FileIdentification(path: path, kind: .composite, sha256: nil, identity: nil, declared: [],
                                      note: "a diffusers folder or sharded checkpoint: the policies record single files, so it has no known-file identity")
        }
        let file = try SafetensorsFile(path: path)
        let sha = try cache?.sha256(of: file, progress: progress) ?? CheckpointHasher.sha256(reader: file.reader, progress: progress)
        try file.reader.checkUnchanged()
        var declared: [FileIdentification.DeclaredHash] = []
        for key in declaredKeys {
            guard let raw = file.header.metadata[key] else { continue }
            let value = String(TerminalEscaping.escape(raw).prefix(160))
            var hex = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if hex.hasPrefix("0x") { hex.removeFirst(2) }
            declared.append(.init(key: key, value: value, names: identity(sha256: hex, policies: policies)))
        }
        return FileIdentification(path: path, kind: .file, sha256: sha, identity: identity(sha256: sha, policies: policies),
                                  declared: declared, note: nil)
    }
}
