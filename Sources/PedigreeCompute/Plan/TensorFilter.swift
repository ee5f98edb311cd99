/// Which tensors take part in a comparison, by name prefix.
/// The VAE (`first_stage_model.`) is excluded by default, as in the seed article (README, "Method"): checkpoints
/// often bake in the same stock VAE, so it says little about lineage.
public struct TensorFilter: Sendable, Codable, Equatable {
    public var include: [String]
    public var exclude: [String]

    public static let defaultExclude = ["first_stage_model."]

    public init(include: [String] = [], exclude: [String] = TensorFilter.defaultExclude) {
        self.include = include
        self.exclude = exclude
    }

    public func admits(_ name: String) -> Bool {
        if !include.isEmpty, !include.contains(where: { name.hasPrefix($0) }) { return false }
        return !exclude.contains { name.hasPrefix($0) }
    }
}
