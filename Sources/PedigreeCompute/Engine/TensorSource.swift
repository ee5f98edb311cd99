import PedigreeFormat

/// Something the engine reads tensor rows from: a checkpoint, or a fingerprint that holds
/// only a sample of each tensor's columns.
public protocol TensorSource: Sendable {
    /// The reference id, or "candidate".
    var label: String { get }
    var path: String { get }
    var shapes: [String: [Int]] { get }
    var dtypes: [String: DType] { get }
    /// The columns this source holds for `name`, or nil when it holds all of them.
    func heldColumns(of name: String) -> [Int]?
    /// Bytes this source reads for `rows` rows of `name` (for progress and chunk sizing).
    func bytesPerRow(of name: String) -> Int
    /// Writes rows `rows` of `name`, restricted to `columns` (nil: all), as row-major
    /// Float32 [rows.count × columns] into `destination`, which must hold at least that
    /// many floats (implementations check with `requireRows`).
    func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws
}

extension UnsafeMutableBufferPointer where Element == Float {
    /// The boundary check of every `readRows`: the buffer holds `rows` rows of `width` floats.
    func requireRows(_ rows: Int, width: Int, _ what: StaticString = #function) {
        precondition(rows >= 0 && width >= 0 && count >= rows * width, "\(what): \(rows) × \(width) floats into a buffer of \(count)")
    }
}

/// A full checkpoint as a tensor source.
public struct CheckpointSource: TensorSource {
    public let label: String
    public let file: SafetensorsFile
    public let shapes: [String: [Int]]
    public let dtypes: [String: DType]

    public init(label: String, file: SafetensorsFile) {
        self.label = label
        self.file = file
        var shapes: [String: [Int]] = [:]
        var dtypes: [String: DType] = [:]
        for tensor in file.header.tensors {
            shapes[tensor.name] = tensor.shape
            dtypes[tensor.name] = tensor.dtype
        }
        self.shapes = shapes
        self.dtypes = dtypes
    }

    public var path: String { file.path }

    public func heldColumns(of name: String) -> [Int]? { nil }

    public func bytesPerRow(of name: String) -> Int {
        guard let tensor = file.header.tensor(named: name) else { return 0 }
        let rows = max(tensor.rows, 1)
        return tensor.byteCount / rows
    }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        guard let tensor = file.header.tensor(named: name) else { throw SafetensorsError.notFound(path: path, name: name) }
        try file.readRows(tensor, rows: rows, columns: columns, into: destination, scratch: scratch)
    }
}
