import PedigreeFormat

/// Per-worker scratch memory, reused across tensors so the pass allocates only when a
/// larger tensor first needs more. Owned by one worker thread at a time.
public final class ScratchSpace {
    private(set) var staging = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 64)
    private(set) var wideRows = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var wideCapacity = 1

    public init() {}

    deinit {
        staging.deallocate()
        gather.deallocate()
        wideRows.deallocate()
    }

    func stagingBuffer(bytes: Int) -> UnsafeMutableRawBufferPointer {
        if staging.count < bytes {
            staging.deallocate()
            staging = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
        }
        return staging
    }

    private(set) var gather = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 64)

    func gatherBuffer(bytes: Int) -> UnsafeMutableRawBufferPointer {
        if gather.count < bytes {
            gather.deallocate()
            gather = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
        }
        return gather
    }

    func wideBuffer(elements: Int) -> UnsafeMutablePointer<Float> {
        if wideCapacity < elements {
            wideRows.deallocate()
            wideRows = UnsafeMutablePointer<Float>.allocate(capacity: elements)
            wideCapacity = elements
        }
        return wideRows
    }
}

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
    /// Float32 [rows.count × columns] into `destination`.
    func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutablePointer<Float>, scratch: ScratchSpace) throws
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

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutablePointer<Float>, scratch: ScratchSpace) throws {
        guard let tensor = file.header.tensor(named: name) else { throw SafetensorsError.notFound(path: path, name: name) }
        try file.readRows(tensor, rows: rows, columns: columns, into: destination, scratch: scratch)
    }
}
