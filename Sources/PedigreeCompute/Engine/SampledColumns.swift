import PedigreeFormat

/// Reading only some columns of a tensor: what fingerprint comparisons and fingerprint
/// writing both need. Whole rows are read with one positioned read (columns are strided
/// in a row-major tensor, so there is nothing cheaper to read), then only the sampled
/// columns are kept — as raw bytes, or decoded to Float32.
extension SafetensorsFile {
    /// The raw bytes of `columns` of rows `rows`, row-major [rows.count × columns.count],
    /// in `scratch`'s gather buffer. Byte-sized dtypes only (every dtype but F4/F6).
    func sampledColumnBytes(_ tensor: TensorInfo, rows: Range<Int>, columns: [Int], scratch: ScratchSpace) throws -> UnsafeRawBufferPointer {
        let width = tensor.columns
        let size = tensor.dtype.bitSize / 8
        let rawBytes = rows.count * width * size
        let raw = UnsafeMutableRawBufferPointer(rebasing: scratch.stagingBuffer(bytes: rawBytes)[0 ..< rawBytes])
        try reader.read(into: raw, at: fileOffset(of: tensor) + Int64(rows.lowerBound * width * size))
        let k = columns.count
        let gathered = scratch.gatherBuffer(bytes: rows.count * k * size)
        for r in 0 ..< rows.count {
            for (i, column) in columns.enumerated() {
                // SAFETY: column < width and r < rows.count, so the source byte range lies in
                // `raw`; the destination index is below rows.count × k × size.
                (gathered.baseAddress! + (r * k + i) * size).copyMemory(from: raw.baseAddress! + (r * width + column) * size, byteCount: size)
            }
        }
        return UnsafeRawBufferPointer(rebasing: gathered[0 ..< rows.count * k * size])
    }

    /// `columns` of rows `rows` as Float32, row-major [rows.count × columns.count]. Only the
    /// kept columns are decoded; sub-byte types, whose elements do not sit on byte
    /// boundaries, are decoded whole and then picked.
    func readSampledColumns(
        _ tensor: TensorInfo, rows: Range<Int>, columns: [Int], into destination: UnsafeMutablePointer<Float>, scratch: ScratchSpace
    ) throws {
        let k = columns.count
        guard tensor.dtype.bitSize % 8 == 0 else {
            let width = tensor.columns
            let elements = (rows.lowerBound * width) ..< (rows.upperBound * width)
            let wide = scratch.wideBuffer(elements: elements.count)
            try readFloat32(tensor, elements: elements, into: wide,
                            staging: scratch.stagingBuffer(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype)))
            for r in 0 ..< rows.count {
                for (i, column) in columns.enumerated() { destination[r * k + i] = wide[r * width + column] }
            }
            return
        }
        let bytes = try sampledColumnBytes(tensor, rows: rows, columns: columns, scratch: scratch)
        DTypeDecoding.decode(bytes, dtype: tensor.dtype, firstElement: 0, count: rows.count * k, into: destination)
    }

    /// Rows `rows` of `tensor` as Float32, row-major: every column, or only `columns` — what
    /// each checkpoint-backed source reads, whichever file a tensor lives in.
    func readRows(_ tensor: TensorInfo, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutablePointer<Float>, scratch: ScratchSpace) throws {
        guard let columns else {
            let elements = (rows.lowerBound * tensor.columns) ..< (rows.upperBound * tensor.columns)
            let staging = scratch.stagingBuffer(bytes: SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype))
            try readFloat32(tensor, elements: elements, into: destination, staging: staging)
            return
        }
        // Sampled comparison: the candidate is read at memory speed and only the
        // fingerprint's columns are converted.
        try readSampledColumns(tensor, rows: rows, columns: columns, into: destination, scratch: scratch)
    }
}
