import Foundation
import PedigreeSupport

/// Everything `pedigree inspect` tells about a checkpoint. Encoded with Pedigree's JSON
/// conventions (snake_case); the README documents the schema.
public struct InspectionReport: Sendable, Codable {
    public struct ComponentSummary: Sendable, Codable {
        public let component: Component
        public let name: String
        public let tensors: Int
        public let parameters: Int
        public let dtypes: [String: Int]
    }

    /// An identity hash the file's own metadata claims, checked against the computed one.
    public struct EmbeddedHashCheck: Sendable, Codable {
        public let key: String
        public let claimed: String
        public let computed: String
        public let matches: Bool
    }

    public let schema: String
    public let path: String
    public let fileSize: Int64
    public let architecture: Architecture
    public let architectureName: String
    public let tensors: Int
    public let parameters: Int
    public let dtypes: [String: Int]
    public let components: [ComponentSummary]
    /// Layout keys absent from the file (SDXL only; optional extras are not listed).
    public let missingKeys: [String]
    /// File keys the layout does not know (SDXL only).
    public let unknownKeys: [String]
    public let metadata: [String: String]
    public let modelspec: [String: String]
    public let mergeRecipe: [String: String]
    public let hashes: CheckpointHashes
    public let embeddedHashChecks: [EmbeddedHashCheck]
    /// The known model and file it is, by its SHA-256, when the caller looked it up in a
    /// policy set and found one (absent otherwise; `identityChecked` says whether it looked).
    public var identity: KnownIdentity? = nil
    /// Whether a policy set was asked (so an absent `identity` means "none").
    public var identityChecked: Bool = false
}

public enum Inspector {
    public static let schema = "pedigree.inspect/1"

    /// Reads the header and hashes the file (one read for all four hashes).
    public static func inspect(path: String, progress: any ProgressSink = SilentProgress()) throws -> InspectionReport {
        let file = try SafetensorsFile(path: path)
        let hashes = try CheckpointHasher.hash(file: file, progress: progress)
        try file.reader.checkUnchanged()
        return report(for: file, hashes: hashes)
    }

    static func report(for file: SafetensorsFile, hashes: CheckpointHashes) -> InspectionReport {
        let header = file.header
        let names = header.tensorNames
        let architecture = Architecture.detect(names: names)

        var byComponent: [Component: (tensors: Int, parameters: Int, dtypes: [String: Int])] = [:]
        var dtypes: [String: Int] = [:]
        for tensor in header.tensors {
            let component = Component.of(tensor.name)
            var entry = byComponent[component] ?? (0, 0, [:])
            entry.tensors += 1
            entry.parameters += tensor.elementCount
            entry.dtypes[tensor.dtype.rawValue, default: 0] += 1
            byComponent[component] = entry
            dtypes[tensor.dtype.rawValue, default: 0] += 1
        }
        let components = byComponent.keys.sorted().map { component in
            let entry = byComponent[component]!
            return InspectionReport.ComponentSummary(
                component: component, name: component.displayName, tensors: entry.tensors,
                parameters: entry.parameters, dtypes: entry.dtypes)
        }

        var missing: [String] = []
        var unknown: [String] = []
        if architecture == .sdxl {
            missing = SDXLLayout.tensors.map(\.name).filter { !names.contains($0) }
            unknown = names.filter { SDXLLayout.shapeByName[$0] == nil && !SDXLLayout.isOptionalExtra($0) }.sorted()
        }

        let metadata = header.metadata
        let modelspec = metadata.filter { $0.key.hasPrefix("modelspec.") }
        let mergeRecipe = metadata.filter { $0.key == "sd_merge_recipe" || $0.key == "sd_merge_models" }

        return InspectionReport(
            schema: schema, path: file.path, fileSize: file.fileSize, architecture: architecture,
            architectureName: architecture.displayName, tensors: header.tensors.count,
            parameters: header.tensors.reduce(0) { $0 + $1.elementCount }, dtypes: dtypes, components: components,
            missingKeys: missing, unknownKeys: unknown, metadata: metadata, modelspec: modelspec,
            mergeRecipe: mergeRecipe, hashes: hashes, embeddedHashChecks: embeddedChecks(metadata, hashes))
    }

    /// ModelSpec's `hash_sha256` ("0x" + hex) and kohya's `sshs_model_hash` are AutoV3;
    /// `sshs_legacy_hash` is AutoV1.
    static func embeddedChecks(_ metadata: [String: String], _ hashes: CheckpointHashes) -> [InspectionReport.EmbeddedHashCheck] {
        let claims: [(String, String)] = [
            ("modelspec.hash_sha256", hashes.autov3), ("sshs_model_hash", hashes.autov3), ("sshs_legacy_hash", hashes.autov1),
        ]
        return claims.compactMap { key, computed in
            guard let raw = metadata[key] else { return nil }
            var claimed = raw.lowercased().trimmingCharacters(in: .whitespaces)
            if claimed.hasPrefix("0x") { claimed.removeFirst(2) }
            return .init(key: key, claimed: raw, computed: computed, matches: claimed == computed.lowercased())
        }
    }
}
