import PedigreeFormat

/// Reading only some columns of a tensor: what fingerprint comparisons and fingerprint
/// writing both need. Whole rows are read with one positioned read (columns are strided
/// in a row-major tensor, so there is nothing cheaper to read), then only the sampled
/// columns are kept — as raw bytes, or decoded to Float32.
extension SafetensorsFile {
    /// Lends `body` the raw bytes of `columns` of rows `rows`, row-major
    /// [rows.count × columns.count], in `scratch`'s gather buffer. Byte-sized dtypes only
    /// (every dtype but F4/F6). The bytes are valid only inside `body`.
    func withSampledColumnBytes<R>(
        _ tensor: TensorInfo, rows: Range<Int>, columns: [Int], scratch: ScratchSpace, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        precondition(tensor.dtype.bitSize % 8 == 0, "sampled column bytes of the sub-byte type \(tensor.dtype)")
        let width = tensor.columns
        let size = tensor.dtype.bitSize / 8
        let k = columns.count
        precondition(columns.allSatisfy { $0 >= 0 && $0 < width }, "a sampled column outside the tensor's \(width)")
        return try scratch.withStaging(bytes: rows.count * width * size) { raw in
            try reader.read(into: raw, at: fileOffset(of: tensor) + Int64(rows.lowerBound * width * size))
            return try scratch.withGather(bytes: rows.count * k * size) { gathered in
                for r in 0 ..< rows.count {
                    for (i, column) in columns.enumerated() {
                        // SAFETY: 0 <= column < width (checked above) and r < rows.count, so the
                        // source bytes lie in `raw` (rows.count × width × size bytes); the
                        // destination index is below rows.count × k × size, `gathered`'s size.
                        (gathered.baseAddress! + (r * k + i) * size).copyMemory(from: raw.baseAddress! + (r * width + column) * size, byteCount: size)
                    }
                }
                return try body(UnsafeRawBufferPointer(gathered))
            }
        }
    }

    /// `columns` of rows `rows` as Float32, row-major [rows.count × columns.count], into
    /// `destination`. Only the kept columns are decoded; sub-byte types, whose elements do
    /// not sit on byte boundaries, are decoded whole and then picked.
    func readSampledColumns(
        _ tensor: TensorInfo, rows: Range<Int>, columns: [Int], into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace
    ) throws {
        let k = columns.count
        destination.requireRows(rows.count, width: k)
        guard tensor.dtype.bitSize % 8 == 0 else {
            let width = tensor.columns
            precondition(columns.allSatisfy { $0 >= 0 && $0 < width }, "a sampled column outside the tensor's \(width)")
            let elements = (rows.lowerBound * width) ..< (rows.upperBound * width)
            try scratch.withWide(elements: elements.count) { wide in
                try scratch.withStaging(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype)) { staging in
                    try readFloat32(tensor, elements: elements, into: wide, staging: staging)
                }
                // SAFETY: r < rows.count and column < width index inside `wide` (rows.count ×
                // width floats); r * k + i < rows.count × k, which `destination` holds (checked).
                for r in 0 ..< rows.count {
                    for (i, column) in columns.enumerated() { destination[r * k + i] = wide[r * width + column] }
                }
            }
            return
        }
        try withSampledColumnBytes(tensor, rows: rows, columns: columns, scratch: scratch) { bytes in
            DTypeDecoding.decode(bytes, dtype: tensor.dtype, firstElement: 0, count: rows.count * k, into: destination)
        }
    }

    /// Rows `rows` of `tensor` as Float32, row-major: every column, or only `columns` — what
    /// each checkpoint-backed source reads, whichever file a tensor lives in.
    func readRows(_ tensor: TensorInfo, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        guard let columns else {
            destination.requireRows(rows.count, width: tensor.columns)
            let elements = (rows.lowerBound * tensor.columns) ..< (rows.upperBound * tensor.columns)
            try scratch.withStaging(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype)) { staging in
                try readFloat32(tensor, elements: elements, into: destination, staging: staging)
            }
            return
        }
        // Sampled comparison: the candidate is read at memory speed and only the
        // fingerprint's columns are converted.
        try readSampledColumns(tensor, rows: rows, columns: columns, into: destination, scratch: scratch)
    }
}
