import Foundation
import PedigreeSupport

/// A generated family on disk and its planted truth, as written to `family.json`.
public struct SynthFamily: Sendable, Codable, Equatable {
    public static let formatName = "pedigree-synth-family/1"
    public static let fileName = "family.json"

    public struct ComponentTruth: Sendable, Codable, Equatable {
        public var name: String
        public var kind: SynthRecipe.ComponentKind
        public var scale: Double
        public var seed: UInt64
        public var columnSpread: Double
        public var tensorSpread: Double
        public var blockSpread: Double
        /// Block-name prefix → strength multiplier.
        public var profile: [String: Double]
        public var spectrum: SynthRecipe.Spectrum?
    }

    public struct ModelTruth: Sendable, Codable, Equatable {
        public var name: String
        /// File name inside the family folder.
        public var file: String
        public var bytes: Int
        /// Component → weight: the model is exactly Σ weight · component.
        public var weights: [String: Double]
        public var role: SynthRecipe.Role?
        /// The model it was really derived from (nil: unrelated to every other model).
        public var parent: String?
        /// What it claims to derive from, when that is a lie.
        public var claimed: String?
        public var note: String?
        /// How the model was computed, when it is a merge (its `weights` are then the `plus` change).
        public var merge: SynthRecipe.Merge?
        /// The storage type, when the model overrides the family's.
        public var dtype: String?
        /// Model stock: the mean over non-VAE tensors of the computed interpolation t.
        public var modelStockMeanT: Double?
        /// Candidates: the planted share of each reference's change (see `PlantedShares`).
        public var shares: [ShareTruth]?
    }

    public var format: String
    public var recipeSeed: UInt64
    public var widthDivisor: Int
    public var dtype: String
    public var components: [ComponentTruth]
    public var models: [ModelTruth]
    /// The folder the family was written to (not stored in the JSON; set when loading).
    public var directory: String = ""

    enum CodingKeys: String, CodingKey {
        case format, recipeSeed, widthDivisor, dtype, components, models
    }

    /// Names of the models the recipe marks as references.
    public var references: [String] { models.filter { $0.role == .reference }.map(\.name) }

    public func model(named name: String) -> ModelTruth? { models.first { $0.name == name } }

    /// The checkpoint path of a model, or nil when the family has no such model.
    public func path(of model: String) -> String? {
        self.model(named: model).map { URL(fileURLWithPath: directory).appendingPathComponent($0.file).path }
    }

    /// Reads `family.json` from a family folder.
    public static func load(directory: String) throws -> SynthFamily {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FileAccessError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        do {
            var family = try PedigreeJSON.decoder().decode(SynthFamily.self, from: data)
            family.directory = directory
            return family
        } catch {
            throw FileAccessError.cannotRead(path: path, reason: "not a synth family description: \(error)")
        }
    }
}

extension SynthFamily.ComponentTruth {
    init(_ component: SynthRecipe.Component) {
        self.init(name: component.name, kind: component.kind, scale: component.scale, seed: component.seed,
                  columnSpread: component.columnSpread, tensorSpread: component.tensorSpread,
                  blockSpread: component.blockSpread,
                  profile: Dictionary(component.profile.map { ($0.prefix, $0.factor) }, uniquingKeysWith: { _, last in last }),
                  spectrum: component.spectrum)
    }
}
