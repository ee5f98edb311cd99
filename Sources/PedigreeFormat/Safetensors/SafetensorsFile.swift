import PedigreeSupport

/// An open, validated safetensors file: its header in memory, its tensor data on disk,
/// read on demand with positioned reads.
public final class SafetensorsFile: Sendable {
    public let reader: FileReader
    public let header: SafetensorsHeader
    public var path: String { reader.path }
    public var fileSize: Int64 { reader.size }

    /// Opens and validates `path`. A file is judged by its content, never by its name: one
    /// that starts like a pickle (a `torch.save` zip, a pickle stream) is refused before any
    /// parsing, whatever it is called; a valid safetensors file is read even when named
    /// `.ckpt`. Only a file that is neither gets its name as a hint in the error.
    public init(path: String) throws {
        let reader = try FileReader(path: path)
        let prefix = try reader.readBytes(at: 0, count: Int(min(reader.size, 8)))
        if let reason = PickleDetection.reasonFromMagic(prefix) { throw SafetensorsError.pickle(path: path, reason: reason) }
        do {
            self.header = try Self.readHeader(reader)
        } catch let error as SafetensorsError {
            // Not safetensors, and named like a pickle (protocol 0/1 pickles have no magic bytes).
            if let reason = PickleDetection.reasonFromExtension(path) {
                throw SafetensorsError.pickle(path: path, reason: "not a safetensors file, and \(reason)")
            }
            throw error
        }
        self.reader = reader
    }

    private static func readHeader(_ reader: FileReader) throws -> SafetensorsHeader {
        let path = reader.path
        guard reader.size >= 8 else { throw SafetensorsError.fileTooSmall(path: path, size: reader.size) }
        let lengthBytes = try reader.readBytes(at: 0, count: 8)
        // The length is little-endian by definition, whatever the host byte order.
        let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= HeaderValidation.maxHeaderLength else { throw SafetensorsError.headerTooLarge(path: path, length: length) }
        guard Int64(length) + 8 <= reader.size else {
            throw SafetensorsError.headerBeyondFile(path: path, length: length, fileSize: reader.size)
        }
        let headerBytes = try reader.readBytes(at: 8, count: Int(length))
        return try HeaderValidation.validate(
            headerBytes: headerBytes, dataLength: reader.size - 8 - Int64(length), path: path)
    }

    /// Absolute file offset of a tensor's first byte.
    public func fileOffset(of tensor: TensorInfo) -> Int64 {
        Int64(header.dataStart) + Int64(tensor.dataOffsets.lowerBound)
    }

    /// Reads elements `elements` of `tensor`, converted to Float32, into `destination`, which
    /// holds at least `elements.count` floats. `staging` receives the raw bytes first; it
    /// must hold `stagingBytes(for:)` bytes.
    public func readFloat32(
        _ tensor: TensorInfo, elements: Range<Int>,
        into destination: UnsafeMutableBufferPointer<Float>, staging: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(destination.count >= elements.count, "readFloat32: \(elements.count) elements into a buffer of \(destination.count)")
        guard tensor.dtype.convertsToFloat32 else {
            throw SafetensorsError.notConvertible(path: path, name: tensor.name, dtype: tensor.dtype)
        }
        let bytes = DTypeDecoding.byteRange(elements: elements, dtype: tensor.dtype)
        guard bytes.count <= staging.count else {
            preconditionFailure("staging buffer of \(staging.count) bytes is smaller than the \(bytes.count) requested")
        }
        // SAFETY: bytes.count <= staging.count (checked above), so the window lies in `staging`;
        // decode checks it against the elements and `destination` against their count.
        let window = UnsafeMutableRawBufferPointer(rebasing: staging[0 ..< bytes.count])
        try reader.read(into: window, at: fileOffset(of: tensor) + Int64(bytes.lowerBound))
        DTypeDecoding.decode(
            UnsafeRawBufferPointer(window), dtype: tensor.dtype, firstElement: elements.lowerBound,
            count: elements.count, into: destination)
    }

    /// Reads a whole tensor as Float32 (tests and small tensors; the compute core streams).
    public func readFloat32(_ tensor: TensorInfo) throws -> [Float] {
        var values = [Float](repeating: 0, count: tensor.elementCount)
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: max(tensor.byteCount, 1), alignment: 64)
        defer { staging.deallocate() }
        try values.withUnsafeMutableBufferPointer { buffer in
            try readFloat32(tensor, elements: 0 ..< tensor.elementCount, into: buffer, staging: staging)
        }
        return values
    }

    /// Bytes of staging `readFloat32` needs for `count` elements of `dtype` at any position.
    public static func stagingBytes(for count: Int, dtype: DType) -> Int { (count * dtype.bitSize + 7) / 8 + 2 }
}
