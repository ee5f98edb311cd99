/// A parsed, validated recipe for a family of synthetic SDXL-shaped checkpoints.
///
/// Every model is a weighted sum of named, seeded random components (a base and deltas),
/// so the family has a planted lineage whose truth is known exactly. See README.md in this
/// folder for the YAML schema.
public struct SynthRecipe: Sendable, Equatable {
    public enum ComponentKind: String, Sendable, Codable, CaseIterable {
        /// A whole set of weights (SDXL itself, or an unrelated model's own base).
        case base
        /// A change applied on top of a base (a fine-tune's or a merge ingredient's difference).
        case delta
    }

    /// One multiplier of a component's strength for the blocks under a block-name prefix
    /// (`unet.middle_block`, `clip_l`, `unet.input_blocks.4`; names as `BlockNaming` gives).
    public struct ProfileEntry: Sendable, Equatable, Codable {
        public var prefix: String
        public var factor: Double
        public init(prefix: String, factor: Double) {
            self.prefix = prefix
            self.factor = factor
        }
    }

    public struct Component: Sendable, Equatable, Codable {
        public var name: String
        public var kind: ComponentKind
        /// Overall magnitude relative to a base of scale 1.
        public var scale: Double
        /// The component's own seed (default: a hash of its name), mixed with the recipe seed.
        public var seed: UInt64
        /// Each column of each tensor gets a factor log-uniform in [1/s, s].
        public var columnSpread: Double
        /// Each tensor gets a factor log-uniform in [1/s, s].
        public var tensorSpread: Double
        /// Each block gets a factor log-uniform in [1/s, s].
        public var blockSpread: Double
        /// Per-block strength; the longest matching prefix wins, unmatched blocks get 1.
        public var profile: [ProfileEntry]

        public init(name: String, kind: ComponentKind, scale: Double, seed: UInt64? = nil,
                    columnSpread: Double? = nil, tensorSpread: Double? = nil, blockSpread: Double? = nil,
                    profile: [ProfileEntry] = []) {
            self.name = name
            self.kind = kind
            self.scale = scale
            self.seed = seed ?? DeterministicMath.fnv1a64(name)
            self.columnSpread = columnSpread ?? Self.defaultColumnSpread(kind)
            self.tensorSpread = tensorSpread ?? 1.5
            self.blockSpread = blockSpread ?? 1.25
            self.profile = profile
        }

        /// Bases vary strongly between columns (×[1/4, 4]); deltas less, so that a delta's
        /// share of a column stays within a plausible range.
        public static func defaultColumnSpread(_ kind: ComponentKind) -> Double { kind == .base ? 4 : 2 }
    }

    public enum Role: String, Sendable, Codable {
        /// A known base model the audit compares against.
        case reference
        /// A checkpoint under audit.
        case candidate
    }

    /// What the recipe says a model really is: the planted truth tests assert against.
    public struct Lineage: Sendable, Equatable, Codable {
        public var role: Role?
        /// The model it was really derived from, or nil for an unrelated model.
        public var parent: String?
        /// The model it claims to be derived from, when that differs (a mislabelled merge).
        public var claimed: String?
        public var note: String?
        public init(role: Role? = nil, parent: String? = nil, claimed: String? = nil, note: String? = nil) {
            self.role = role
            self.parent = parent
            self.claimed = claimed
            self.note = note
        }
    }

    public struct Model: Sendable, Equatable {
        public var name: String
        /// Component name → weight, in the order the recipe lists them.
        public var weights: [(component: String, weight: Double)]
        public var lineage: Lineage

        public init(name: String, weights: [(component: String, weight: Double)], lineage: Lineage = Lineage()) {
            self.name = name
            self.weights = weights
            self.lineage = lineage
        }

        public func weight(of component: String) -> Double {
            weights.first { $0.component == component }?.weight ?? 0
        }

        public static func == (a: Model, b: Model) -> Bool {
            a.name == b.name && a.lineage == b.lineage
                && a.weights.map(\.component) == b.weights.map(\.component)
                && a.weights.map(\.weight) == b.weights.map(\.weight)
        }
    }

    public var seed: UInt64
    public var components: [Component]
    public var models: [Model]

    public init(seed: UInt64, components: [Component], models: [Model]) {
        self.seed = seed
        self.components = components
        self.models = models
    }

    public func component(named name: String) -> Component? { components.first { $0.name == name } }
    public func model(named name: String) -> Model? { models.first { $0.name == name } }
}

extension SynthRecipe {
    /// The recipe restricted to the named models (components and seeds unchanged, so each
    /// model's bytes are the same as in the full family). Unknown names are an error.
    public func restricted(to names: [String], path: String) throws -> SynthRecipe {
        guard !names.isEmpty else { return self }
        for name in names where !models.contains(where: { $0.name == name }) {
            throw SynthError.invalidOption(option: "--only", rule: "\(path) has no model '\(name)' (models: \(models.map(\.name).joined(separator: ", ")))")
        }
        var copy = self
        copy.models = models.filter { names.contains($0.name) }
        return copy
    }
}
