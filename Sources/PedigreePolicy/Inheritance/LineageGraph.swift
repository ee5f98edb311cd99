/// The parent edges of the base models as a graph: ancestors up to the roots, and cycle
/// detection (a cycle would make every "inherited from" answer infinite).
public struct LineageGraph: Sendable {
    private let edges: [String: [ParentEdge]]

    public init(models: [BaseModel]) {
        var edges: [String: [ParentEdge]] = [:]
        for model in models { edges[model.id, default: []] += model.parents }
        self.edges = edges
    }

    public func parents(of id: String) -> [ParentEdge] { edges[id] ?? [] }

    /// The lineage of `id` as a tree up to its roots. A node already on the current path
    /// is not expanded again, so even an unchecked cyclic graph cannot loop forever.
    public func tree(from id: String) -> LineageNode {
        tree(from: id, edge: nil, onPath: [])
    }

    private func tree(from id: String, edge: ParentEdge?, onPath: Set<String>) -> LineageNode {
        guard !onPath.contains(id) else { return LineageNode(id: id, edge: edge, parents: []) }
        let path = onPath.union([id])
        return LineageNode(id: id, edge: edge,
                           parents: parents(of: id).map { tree(from: $0.id, edge: $0, onPath: path) })
    }

    /// Every ancestor of `id` (not `id` itself), nearest first, each with the shortest chain
    /// of model ids that leads to it from `id`.
    public func ancestors(of id: String) -> [(id: String, path: [String])] {
        var seen: Set<String> = [id]
        var queue: [(id: String, path: [String])] = [(id, [id])]
        var result: [(id: String, path: [String])] = []
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for edge in parents(of: current.id) where !seen.contains(edge.id) {
                seen.insert(edge.id)
                let next = (id: edge.id, path: current.path + [edge.id])
                result.append(next)
                queue.append(next)
            }
        }
        return result
    }

    /// Whether `ancestor` is reached from `id` by following parents, however far up.
    public func isAncestor(_ ancestor: String, of id: String) -> Bool {
        ancestors(of: id).contains { $0.id == ancestor }
    }

    /// Ancestors with no parents of their own.
    public func roots(of id: String) -> [String] {
        let all = [id] + ancestors(of: id).map(\.id)
        return all.filter { parents(of: $0).isEmpty }
    }

    /// One entry per cycle found: the ids around it (first repeated at the end) and the
    /// edge that closes it, for error reporting.
    public func cycles() -> [(path: [String], closingEdge: ParentEdge)] {
        var state: [String: Bool] = [:]  // false = on the stack, true = finished
        var found: [(path: [String], closingEdge: ParentEdge)] = []
        var reported: Set<String> = []
        func visit(_ id: String, _ stack: [String]) {
            state[id] = false
            for edge in parents(of: id) {
                if state[edge.id] == false, let start = stack.firstIndex(of: edge.id) {
                    let cycle = Array(stack[start...]) + [id, edge.id]
                    let key = Set(cycle).sorted().joined(separator: ",")
                    if reported.insert(key).inserted { found.append((cycle, edge)) }
                } else if edge.id == id {
                    if reported.insert(id).inserted { found.append(([id, id], edge)) }
                } else if state[edge.id] == nil {
                    visit(edge.id, stack + [id])
                }
            }
            state[id] = true
        }
        for id in edges.keys.sorted() where state[id] == nil { visit(id, []) }
        return found
    }
}

/// One model in a lineage tree, with the edge that led to it from its child.
public struct LineageNode: Codable, Equatable, Sendable {
    public var id: String
    public var edge: ParentEdge?
    public var parents: [LineageNode]
}
