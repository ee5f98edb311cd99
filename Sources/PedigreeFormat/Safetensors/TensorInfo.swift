/// One tensor's entry in a validated safetensors header.
public struct TensorInfo: Sendable, Hashable {
    public let name: String
    public let dtype: DType
    /// Dimensions, outermost first. An empty shape is a scalar (one element).
    public let shape: [Int]
    /// Byte range relative to the start of the data section.
    public let dataOffsets: Range<Int>
    /// Product of `shape` (1 for a scalar), checked for overflow during validation.
    public let elementCount: Int

    public init(name: String, dtype: DType, shape: [Int], dataOffsets: Range<Int>, elementCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
        self.elementCount = elementCount
    }

    public var byteCount: Int { dataOffsets.count }

    /// The most a tensor's dimensions, zero dimensions left out, may multiply to (2^36,
    /// 68.7 G: more than any real tensor holds). A tensor with elements is bounded by its
    /// file anyway; one without elements ([0, 2^40]) costs its file nothing, yet the compute
    /// core counts its columns, and sums of such counts over a header's tensors must not
    /// overflow (2^23 tensors fit in a 100 MB header: 2^23 × 2^36 < 2^63).
    public static let maxExtent = 1 << 36

    /// Rows along dimension 0, the dimension the seed article's metric normalizes over.
    /// A scalar or a 1-D tensor is one column of `elementCount` rows.
    public var rows: Int { shape.count <= 1 ? (shape.first ?? 1) : shape[0] }

    /// Columns: one per index of the remaining dimensions (i·k·k for a conv weight
    /// [o, i, k, k]). Each column yields one value of the seed article's metric.
    public var columns: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    /// "F16 [320, 4, 3, 3]", as messages and reports show a tensor.
    public var typeDescription: String { "\(dtype.rawValue) [\(shape.map(String.init).joined(separator: ", "))]" }
}
