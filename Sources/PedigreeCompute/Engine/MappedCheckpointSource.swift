import PedigreeFormat

/// A checkpoint in several files (sharded, or a diffusers folder) as a tensor source under
/// original-layout names. Stacked tensors are read part by part into their rows; a
/// transposed one is read by columns and turned, so no tensor is ever rebuilt whole.
public struct MappedCheckpointSource: TensorSource {
    public let label: String
    public let checkpoint: MappedCheckpoint
    public let shapes: [String: [Int]]
    public let dtypes: [String: DType]

    public init(label: String, checkpoint: MappedCheckpoint) {
        self.label = label
        self.checkpoint = checkpoint
        shapes = checkpoint.tensors.mapValues(\.shape)
        dtypes = checkpoint.tensors.mapValues(\.dtype)
    }

    public var path: String { checkpoint.path }

    public func heldColumns(of name: String) -> [Int]? { nil }

    public func bytesPerRow(of name: String) -> Int {
        guard let tensor = checkpoint.tensors[name] else { return 0 }
        let rows = max(tensor.shape.first ?? 1, 1)
        let elements = tensor.shape.reduce(1, *)
        return (elements * tensor.dtype.bitSize / 8) / rows
    }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        guard let tensor = checkpoint.tensors[name] else { throw SafetensorsError.notFound(path: path, name: name) }
        switch tensor.storage {
        case .stored(let file, let stored):
            try checkpoint.files[file].readRows(stored, rows: rows, columns: columns, into: destination, scratch: scratch)
        case .stacked(let parts):
            let width = columns?.count ?? parts[0].tensor.columns
            destination.requireRows(rows.count, width: width)
            var start = 0
            for part in parts {
                let partRows = start ..< start + part.tensor.rows
                start = partRows.upperBound
                guard let wanted = rows.overlap(partRows) else { continue }
                let local = (wanted.lowerBound - partRows.lowerBound) ..< (wanted.upperBound - partRows.lowerBound)
                // SAFETY: `wanted` lies inside `rows`, so these rows of the destination
                // ([rows.count × width], checked above) are inside it; the slice carries its count.
                let first = (wanted.lowerBound - rows.lowerBound) * width
                let slice = UnsafeMutableBufferPointer(rebasing: destination[first ..< first + wanted.count * width])
                try checkpoint.files[part.file].readRows(part.tensor, rows: local, columns: columns, into: slice, scratch: scratch)
            }
        case .transposed(let file, let stored):
            // Logical row r is stored column r: read those columns of every stored row, then turn.
            let storedRows = stored.rows
            let picked = Array(rows)
            let block = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(storedRows * picked.count, 1))
            defer { block.deallocate() }
            try checkpoint.files[file].readSampledColumns(stored, rows: 0 ..< storedRows, columns: picked, into: block, scratch: scratch)
            let wanted = columns ?? Array(0 ..< storedRows)
            destination.requireRows(picked.count, width: wanted.count)
            // SAFETY: block is [storedRows × picked.count]; every c in `wanted` is a logical
            // column, i.e. a stored row below storedRows; destination is [rows.count × wanted.count].
            for r in 0 ..< picked.count {
                for (i, c) in wanted.enumerated() { destination[r * wanted.count + i] = block[c * picked.count + r] }
            }
        }
    }
}

extension Range where Bound == Int {
    /// The rows both ranges hold; nil when they share none (a `Range` whose bounds cross
    /// cannot even be formed).
    func overlap(_ other: Range<Int>) -> Range<Int>? {
        let low = Swift.max(lowerBound, other.lowerBound), high = Swift.min(upperBound, other.upperBound)
        return low < high ? low ..< high : nil
    }
}
