import PedigreeFormat
import PedigreeSupport

/// How strongly one component contributes to one tensor: an amplitude for the whole
/// tensor and a factor per column. The noise itself comes from `ps_accumulate_noise`.
///
/// Element i of tensor t (row r = i / cols, column j = i % cols, where cols is the product
/// of every dimension after the first) of component c is
///
///     amplitude(c, t) · columnFactor(c, t, j) · noise(key(c, t), i)
///
/// and a model's element is the weighted sum over its components, in declaration order.
/// `amplitude` = scale · profile(block) · blockFactor(block) · tensorFactor(t) / √fanIn,
/// where the three factors are log-uniform draws keyed by the recipe and component seeds.
public struct SynthField: Sendable {
    public let recipeSeed: UInt64
    public let component: SynthRecipe.Component

    public init(recipeSeed: UInt64, component: SynthRecipe.Component) {
        self.recipeSeed = recipeSeed
        self.component = component
    }

    /// Rows and columns as the seed article's metric sees them: columns run along dimension 0.
    public static func geometry(of shape: [Int]) -> (rows: Int, cols: Int) {
        guard let first = shape.first else { return (1, 1) }
        return (first, shape.dropFirst().reduce(1, *))
    }

    /// The 64-bit key of the tensor's noise; the C kernel takes it as two halves.
    public func noiseKey(tensor: String) -> UInt64 {
        DeterministicMath.key(recipeSeed, component.seed, FNV1a.hash(tensor), 2)
    }

    /// The strength of the component in this tensor, before the per-column factors.
    public func amplitude(tensor: String, shape: [Int]) -> Double {
        let (rows, cols) = Self.geometry(of: shape)
        // Real weights scale like 1/√fan-in; a vector (bias, norm) is one column of `rows`.
        let fanIn = shape.count >= 2 ? cols : rows
        let block = BlockNaming.block(of: tensor)
        let blockDraw = DeterministicMath.key(recipeSeed, component.seed, FNV1a.hash("block:" + block))
        let tensorDraw = DeterministicMath.key(recipeSeed, component.seed, FNV1a.hash(tensor), 1)
        return component.scale
            * profileFactor(block: block)
            * DeterministicMath.logUniform(blockDraw, logSpread: DeterministicMath.log(component.blockSpread))
            * DeterministicMath.logUniform(tensorDraw, logSpread: DeterministicMath.log(component.tensorSpread))
            / Double(max(fanIn, 1)).squareRoot()
    }

    /// The per-column factors, log-uniform in [1/columnSpread, columnSpread].
    public func columnFactors(tensor: String, shape: [Int]) -> [Double] {
        let cols = Self.geometry(of: shape).cols
        let columnKey = DeterministicMath.mix64(noiseKey(tensor: tensor) ^ 0xc01_c01)
        let logSpread = DeterministicMath.log(component.columnSpread)
        return (0 ..< cols).map { j in
            DeterministicMath.logUniform(DeterministicMath.mix64(columnKey ^ DeterministicMath.mix64(UInt64(j))), logSpread: logSpread)
        }
    }

    /// The profile multiplier of a block: the longest matching prefix wins, at a dot boundary.
    public func profileFactor(block: String) -> Double {
        var best: SynthRecipe.ProfileEntry?
        for entry in component.profile where block == entry.prefix || block.hasPrefix(entry.prefix + ".") {
            if entry.prefix.count > (best?.prefix.count ?? -1) { best = entry }
        }
        return best?.factor ?? 1
    }
}
