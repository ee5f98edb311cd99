import PedigreeFormat

/// A tensor every file has, with the same shape: the unit of the one-pass comparison.
public struct PlannedTensor: Sendable {
    public let name: String
    public let shape: [Int]
    public let rows: Int
    /// Columns in the full tensor (one value of the seed article's metric each).
    public let columns: Int
    public let block: String
    public let component: Component
}

/// A tensor left out of the comparison, and why. Reported, never fatal.
public struct SkippedTensor: Sendable, Codable, Equatable {
    public enum Reason: String, Sendable, Codable { case missing = "missing", shapeMismatch = "shape_mismatch", notReal = "not_real" }
    public let name: String
    public let reason: Reason
    /// The files (candidate or reference ids) concerned.
    public let files: [String]
    public let detail: String
}

/// Works out which tensors all files share (the seed article compares "only keys present in
/// all models") and reports the rest: keys missing somewhere, shapes that disagree, and
/// dtypes with no real value (C64).
public enum ComparisonPlanner {
    public struct Source: Sendable {
        public let label: String
        public let shapes: [String: [Int]]
        public let dtypes: [String: DType]
        public init(label: String, shapes: [String: [Int]], dtypes: [String: DType]) {
            self.label = label
            self.shapes = shapes
            self.dtypes = dtypes
        }
    }

    public static func plan(sources: [Source], filter: TensorFilter) -> (tensors: [PlannedTensor], skipped: [SkippedTensor]) {
        var allNames = Set<String>()
        for source in sources { allNames.formUnion(source.shapes.keys.filter(filter.admits)) }
        var planned: [PlannedTensor] = []
        var skipped: [SkippedTensor] = []
        for name in allNames.sorted() {
            let lacking = sources.filter { $0.shapes[name] == nil }.map(\.label)
            if !lacking.isEmpty {
                skipped.append(.init(name: name, reason: .missing, files: lacking, detail: "absent from \(lacking.joined(separator: ", "))"))
                continue
            }
            let shapes = sources.compactMap { $0.shapes[name] }
            if Set(shapes).count > 1 {
                let described = zip(sources, shapes).map { "\($0.label) \($1)" }.joined(separator: ", ")
                skipped.append(.init(name: name, reason: .shapeMismatch, files: sources.map(\.label), detail: described))
                continue
            }
            let complex = sources.filter { $0.dtypes[name].map { !$0.convertsToFloat32 } ?? false }.map(\.label)
            if !complex.isEmpty {
                skipped.append(.init(name: name, reason: .notReal, files: complex, detail: "complex values have no cosine"))
                continue
            }
            let shape = shapes[0]
            let rows = shape.count <= 1 ? (shape.first ?? 1) : shape[0]
            let columns = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
            planned.append(PlannedTensor(
                name: name, shape: shape, rows: rows, columns: columns,
                block: BlockNaming.block(of: name), component: Component.of(name)))
        }
        return (planned, skipped)
    }
}
