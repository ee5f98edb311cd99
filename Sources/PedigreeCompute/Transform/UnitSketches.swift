import CPedigreeKernels

/// A group's units read as short unit-length vectors (a few columns of each feature row,
/// concatenated), from the candidate and from a reference at the same columns, so that a
/// unit can be found by its nearest sketch: the base weights every SDXL derivative keeps
/// dominate each row, so a unit's sketch is far nearer its own origin than any other's.
struct UnitSketches {
    /// Columns kept per feature row of a full reference; a fingerprint keeps its own.
    static let columnsPerRow = 64

    let group: PermutationGroup
    /// Per feature member, the columns read (nil: all of them, when there are few).
    let columns: [[Int]?]
    /// Floats per unit.
    let width: Int

    init(group: PermutationGroup, reference: any TensorSource) {
        self.group = group
        var columns: [[Int]?] = []
        var width = 0
        for member in group.features {
            let count = reference.shapes[member.name].map { $0.dropFirst().reduce(1, *) } ?? 0
            let picked: [Int]? = reference.heldColumns(of: member.name)
                ?? (count <= Self.columnsPerRow ? nil : (0 ..< Self.columnsPerRow).map { ((2 * $0 + 1) * count) / (2 * Self.columnsPerRow) })
            columns.append(picked)
            width += (picked?.count ?? count) * member.offsets.count
        }
        self.columns = columns
        self.width = width
    }

    /// [units.count × width] floats, each unit's row scaled to unit length (a zero row stays
    /// zero). `units` nil: every unit, in order.
    func read(_ source: any TensorSource, units: [Int]? = nil, scratch: ScratchSpace) throws -> [Float] {
        let count = units?.count ?? group.width
        var out = [Float](repeating: 0, count: count * width)
        var at = 0
        for (member, picked) in zip(group.features, columns) {
            let k = picked?.count ?? source.shapes[member.name].map { $0.dropFirst().reduce(1, *) } ?? 0
            for offset in member.offsets {
                var block = [Float](repeating: 0, count: count * k)
                try block.withUnsafeMutableBufferPointer { buffer in
                    if let units {
                        for (i, unit) in units.enumerated() {
                            let row = UnsafeMutableBufferPointer(rebasing: buffer[i * k ..< (i + 1) * k])
                            try source.readRows(member.name, rows: offset + unit ..< offset + unit + 1, columns: picked, into: row, scratch: scratch)
                        }
                    } else {
                        try source.readRows(member.name, rows: offset ..< offset + group.width, columns: picked, into: buffer, scratch: scratch)
                    }
                }
                for i in 0 ..< count { for c in 0 ..< k { out[i * width + at + c] = block[i * k + c] } }
                at += k
            }
        }
        for i in 0 ..< count {
            var norm: Float = 0
            for c in 0 ..< width { norm += out[i * width + c] * out[i * width + c] }
            guard norm > 0, norm.isFinite else {
                for c in 0 ..< width { out[i * width + c] = 0 }
                continue
            }
            let scale = 1 / norm.squareRoot()
            for c in 0 ..< width { out[i * width + c] *= scale }
        }
        return out
    }

    /// The cosine of row i of `a` with row i of `b` (both [n × width], unit length).
    func diagonal(_ a: [Float], _ b: [Float]) -> [Float] {
        let n = min(a.count, b.count) / max(width, 1)
        return (0 ..< n).map { i in (0 ..< width).reduce(Float(0)) { $0 + a[i * width + $1] * b[i * width + $1] } }
    }

    /// For every reference unit j, the candidate unit it came from: the nearest sketch, made
    /// one to one greedily (the surest matches first) where two reference units chose the
    /// same candidate unit. Returns the assignment and each unit's cosine with its match.
    func match(reference: [Float], candidate: [Float]) -> (source: [Int], cosine: [Float]) {
        let n = group.width
        var best = [Int32](repeating: 0, count: n)
        var first = [Float](repeating: 0, count: n)
        var second = [Float](repeating: 0, count: n)
        reference.withUnsafeBufferPointer { r in
            candidate.withUnsafeBufferPointer { c in
                // SAFETY: both buffers hold n × width floats (`read` made them); best, first and
                // second hold n entries each, what pk_best_matches writes for n rows.
                pk_best_matches(r.baseAddress!, n, c.baseAddress!, n, width, &best, &first, &second)
            }
        }
        var source = [Int](repeating: -1, count: n)
        var cosine = [Float](repeating: 0, count: n)
        var taken = [Bool](repeating: false, count: n)
        var leftover: [Int] = []
        for j in (0 ..< n).sorted(by: { first[$0] > first[$1] || (first[$0] == first[$1] && $0 < $1) }) {
            let i = Int(best[j])
            if taken[i] { leftover.append(j); continue }
            taken[i] = true
            source[j] = i
            cosine[j] = first[j]
        }
        for j in leftover {
            var pick = -1
            var top = -Float.infinity
            for i in 0 ..< n where !taken[i] {
                var dot: Float = 0
                for c in 0 ..< width { dot += reference[j * width + c] * candidate[i * width + c] }
                if dot > top { top = dot; pick = i }
            }
            taken[pick] = true
            source[j] = pick
            cosine[j] = top
        }
        return (source, cosine)
    }
}

extension Array where Element == Float {
    /// The median (the lower middle for an even count); nan when empty.
    var median: Float {
        guard !isEmpty else { return .nan }
        return sorted()[(count - 1) / 2]
    }
}
