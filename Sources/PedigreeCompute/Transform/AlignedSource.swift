import PedigreeFormat

/// A candidate read in a reference's unit order: what a function-preserving permutation
/// (a re-basin) reordered is put back before any figure is computed, so every measure
/// downstream (the article's metric, shares, spectral and support evidence) sees the
/// weights as they were before the transform.
public struct AlignedSource: TensorSource {
    public let base: any TensorSource
    /// Per tensor, the candidate row each aligned row is read from.
    let rowMaps: [String: [Int]]
    /// Per tensor, the candidate column each aligned column is read from.
    let columnMaps: [String: [Int]]

    public var label: String { base.label }
    public var path: String { base.path }
    public var shapes: [String: [Int]] { base.shapes }
    public var dtypes: [String: DType] { base.dtypes }

    init(base: any TensorSource, groups: [(PermutationGroup, [Int])]) {
        var rowMaps: [String: [Int]] = [:]
        var columnMaps: [String: [Int]] = [:]
        for (group, source) in groups {
            for member in group.members {
                guard let shape = base.shapes[member.name] else { continue }
                if member.axis == 0 {
                    var map = rowMaps[member.name] ?? Array(0 ..< (shape.first ?? 1))
                    for offset in member.offsets { for (j, i) in source.enumerated() { map[offset + j] = offset + i } }
                    rowMaps[member.name] = map
                } else {
                    let per = member.columnsPerUnit
                    var map = columnMaps[member.name] ?? Array(0 ..< shape.dropFirst().reduce(1, *))
                    for offset in member.offsets {
                        for (j, i) in source.enumerated() { for k in 0 ..< per { map[(offset + j) * per + k] = (offset + i) * per + k } }
                    }
                    columnMaps[member.name] = map
                }
            }
        }
        self.base = base
        self.rowMaps = rowMaps
        self.columnMaps = columnMaps
    }

    public func heldColumns(of name: String) -> [Int]? { base.heldColumns(of: name) }

    public func bytesPerRow(of name: String) -> Int { base.bytesPerRow(of: name) }

    public func readRows(_ name: String, rows: Range<Int>, columns: [Int]?, into destination: UnsafeMutableBufferPointer<Float>, scratch: ScratchSpace) throws {
        let columnMap = columnMaps[name]
        let mapped = columnMap.map { map in (columns ?? Array(map.indices)).map { map[$0] } } ?? columns
        guard let rowMap = rowMaps[name] else {
            return try base.readRows(name, rows: rows, columns: mapped, into: destination, scratch: scratch)
        }
        let width = mapped?.count ?? shapes[name].map { $0.count <= 1 ? 1 : $0.dropFirst().reduce(1, *) } ?? 0
        destination.requireRows(rows.count, width: width)
        for (i, row) in rows.enumerated() {
            let source = row < rowMap.count ? rowMap[row] : row  // out of range: the base refuses it
            try base.readRows(name, rows: source ..< source + 1, columns: mapped,
                              into: UnsafeMutableBufferPointer(rebasing: destination[i * width ..< (i + 1) * width]), scratch: scratch)
        }
    }
}
