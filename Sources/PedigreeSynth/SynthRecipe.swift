import PedigreeFormat
import PedigreeSupport

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
        /// A delta's singular spectrum (nil: i.i.d. noise). See `Spectrum`.
        public var spectrum: Spectrum?
        /// Training on data like another delta's: part of the low-rank change lies in that
        /// delta's dominant subspace, in its own coordinates. See `SubspaceShare`.
        public var shares: SubspaceShare?

        public init(name: String, kind: ComponentKind, scale: Double, seed: UInt64? = nil,
                    columnSpread: Double? = nil, tensorSpread: Double? = nil, blockSpread: Double? = nil,
                    profile: [ProfileEntry] = [], spectrum: Spectrum? = nil, shares: SubspaceShare? = nil) {
            self.shares = shares
            self.name = name
            self.kind = kind
            self.scale = scale
            self.seed = seed ?? FNV1a.hash(name)
            self.columnSpread = columnSpread ?? Self.defaultColumnSpread(kind)
            self.tensorSpread = tensorSpread ?? 1.5
            self.blockSpread = blockSpread ?? 1.25
            self.profile = profile
            self.spectrum = spectrum
        }

        /// Bases vary strongly between columns (×[1/4, 4]); deltas less, so that a delta's
        /// share of a column stays within a plausible range.
        public static func defaultColumnSpread(_ kind: ComponentKind) -> Double { kind == .base ? 4 : 2 }
    }

    /// A power-law singular spectrum for a delta: per matrix (rows × cols, as `SynthField`
    /// sees it), Σ_{k<r} s_k u_k v_kᵀ with s_k ∝ (k+1)^−exponent, plus an i.i.d. tail holding
    /// the fraction `tail` of the energy. Real fine-tune deltas look like this (a few strong
    /// directions, a long weak tail), unlike i.i.d. noise whose spectrum is flat.
    public struct Spectrum: Sendable, Equatable, Codable {
        public var exponent: Double
        /// The rank cap at full width. At width divisor N the cap is
        /// max(min(rank, 8), ⌈rank / N⌉): the rank keeps its share of the width, but at
        /// least 8 directions remain so a reduced-width spectrum still has a slope.
        public var rank: Int
        /// The fraction of the energy in i.i.d. noise, in [0, 1).
        public var tail: Double

        public static let standard = Spectrum(exponent: 1.0, rank: 64, tail: 0.05)

        public init(exponent: Double, rank: Int, tail: Double) {
            self.exponent = exponent
            self.rank = rank
            self.tail = tail
        }

        /// The rank used for a rows × cols matrix at width divisor `widthDivisor`.
        public func effectiveRank(rows: Int, cols: Int, widthDivisor: Int) -> Int {
            let scaled = (rank + max(widthDivisor, 1) - 1) / max(widthDivisor, 1)
            return max(0, min(rows, cols, max(min(rank, 8), scaled)))
        }
    }

    /// An honest look-alike (issue 26): a delta trained independently on data like
    /// `component`'s learns the same few dominant directions, in its own coordinates, and
    /// none of the rest. A fraction `overlap` of its low-rank energy is
    /// U Qᵀ diag(σ′) Q Vᵀ, where U, V are `component`'s own left and right factors, Q a
    /// seeded random rotation of this delta's and σ′ its own power law; the rest of its
    /// low-rank part and its tail are its own. It never carries `component`'s singular values
    /// on their own axes, nor its tail: what a copy of weights carries and training cannot.
    public struct SubspaceShare: Sendable, Equatable, Codable {
        public var component: String
        /// The fraction of the low-rank energy inside `component`'s subspace, in [0, 1].
        public var overlap: Double
        public init(component: String, overlap: Double) {
            self.component = component
            self.overlap = overlap
        }
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
        /// Component name → weight, in the order the recipe lists them. For a merge, the
        /// `plus` change added on top of the merge result.
        public var weights: [(component: String, weight: Double)]
        public var lineage: Lineage
        /// How the model is computed from other models (nil: a plain weighted sum of components).
        public var merge: Merge?
        /// The model's own storage type (nil: the family's `--dtype`).
        public var dtype: DType?

        public init(name: String, weights: [(component: String, weight: Double)], lineage: Lineage = Lineage(),
                    merge: Merge? = nil, dtype: DType? = nil) {
            self.name = name
            self.weights = weights
            self.lineage = lineage
            self.merge = merge
            self.dtype = dtype
        }

        public func weight(of component: String) -> Double {
            weights.first { $0.component == component }?.weight ?? 0
        }

        public static func == (a: Model, b: Model) -> Bool {
            a.name == b.name && a.lineage == b.lineage && a.merge == b.merge && a.dtype == b.dtype
                && a.weights.map(\.component) == b.weights.map(\.component)
                && a.weights.map(\.weight) == b.weights.map(\.weight)
        }
    }

    public var seed: UInt64
    public var components: [Component]
    /// In dependency order: every merge comes after the models it reads.
    public var models: [Model]
    /// The models to write (nil: all). Merges still read the others.
    public var selected: [String]?

    public init(seed: UInt64, components: [Component], models: [Model]) {
        self.seed = seed
        self.components = components
        self.models = models
    }

    /// The models `SynthFamilyWriter` writes, in recipe order.
    public var writtenModels: [Model] { selected.map { names in models.filter { names.contains($0.name) } } ?? models }

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
        copy.selected = names
        return copy
    }
}
