import PedigreeFormat

/// A LoRA applied to a base model, as a tensor source: every row is the base's row plus the
/// LoRA's change to it (`up · down · alpha / rank`), computed as the rows are read. Nothing
/// is merged into a file; comparing this source with the references measures the LoRA's
/// change against theirs with the same one pass, attribution and support statistics a
/// merged checkpoint gets.
public struct LoRAAppliedSource: TensorSource {
    public let label: String
    public let base: any TensorSource
    public let lora: LoRAFile
    public var path: String { lora.file.path }
    public var shapes: [String: [Int]] { base.shapes }
    public var dtypes: [String: DType] { base.dtypes }

    /// Checks every module against the base tensor it changes.
    public init(label: String, base: any TensorSource, lora: LoRAFile) throws {
        for (target, modules) in lora.modules {
            guard let shape = base.shapes[target], let rows = shape.first else {
                throw LayoutError.loraModule(path: lora.file.path, module: modules[0].name, reason: "changes \(target), which the base \(base.label) does not have")
            }
            let columns = shape.dropFirst().reduce(1, *)
            for module in modules where module.rowOffset + module.rows > rows || module.columns != columns {
                throw LayoutError.loraModule(path: lora.file.path, module: module.name, reason: "makes a [\(module.rows) × \(module.columns)] change, which does not fit \(target) [\(shape.map(String.init).joined(separator: ", "))] of the base \(base.label)")
            }
        }
        self.label = label
        self.base = base
        self.lora = lora
    }

    public func heldColumns(of name: String) -> [Int]? { nil }

    public func bytesPerRow(of name: String) -> Int { base.bytesPerRow(of: name) }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        try base.readRows(name, rows: rows, columns: columns, into: destination, scratch: scratch)
        guard let modules = lora.modules[name] else { return }
        for module in modules {
            let moduleRows = module.rowOffset ..< module.rowOffset + module.rows
            guard let wanted = rows.overlap(moduleRows) else { continue }
            try add(module, rows: wanted, requested: rows, columns: columns, into: destination)
        }
    }

    /// destination[rows] += scale · up[rows] · down[:, columns].
    private func add(_ module: LoRAFile.Module, rows: Range<Int>, requested: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let rank = module.rank
        let width = columns?.count ?? module.columns
        destination.requireRows(requested.count, width: width)
        let file = lora.file
        // The factors are small (rank × width); read the rows and columns needed.
        let localRows = (rows.lowerBound - module.rowOffset) ..< (rows.upperBound - module.rowOffset)
        let up = try readMatrix(module.up, rows: localRows, rankColumns: rank, file: file)
        var down = try file.readFloat32(module.down)
        if let columns {
            let full = module.columns
            var picked = [Float](repeating: 0, count: rank * columns.count)
            for k in 0 ..< rank { for (i, c) in columns.enumerated() { picked[k * columns.count + i] = down[k * full + c] } }
            down = picked
        }
        let scale = module.scale
        down.withUnsafeBufferPointer { d in
            up.withUnsafeBufferPointer { u in
                for (i, row) in rows.enumerated() {
                    // SAFETY: row lies in `requested`, so the destination row is inside the
                    // [requested.count × width] block (checked above); u is [rows.count × rank],
                    // d [rank × width].
                    let out = destination.baseAddress! + (row - requested.lowerBound) * width
                    for k in 0 ..< rank {
                        let factor = scale * u[i * rank + k]
                        if factor == 0 { continue }
                        let line = d.baseAddress! + k * width
                        for c in 0 ..< width { out[c] += factor * line[c] }
                    }
                }
            }
        }
    }

    /// Rows `rows` of an up factor ([out, rank] or [out, rank, 1, 1]) as Float32 [rows × rank].
    private func readMatrix(_ tensor: TensorInfo, rows: Range<Int>, rankColumns: Int, file: SafetensorsFile) throws -> [Float] {
        var values = [Float](repeating: 0, count: rows.count * rankColumns)
        let elements = (rows.lowerBound * rankColumns) ..< (rows.upperBound * rankColumns)
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: max(SafetensorsFile.stagingBytes(for: elements.count, dtype: tensor.dtype), 1), alignment: 64)
        defer { staging.deallocate() }
        try values.withUnsafeMutableBufferPointer { buffer in
            try file.readFloat32(tensor, elements: elements, into: buffer, staging: staging)
        }
        return values
    }
}
