import PedigreeFormat

/// One set of tensors whose units one function-preserving permutation reorders together
/// (a block's feed-forward units, an attention's query/key rows, a ResBlock's channels),
/// expanded from `SDXLPermutations.rules` over the tensors a checkpoint holds.
struct PermutationGroup: Sendable {
    struct Member: Sendable {
        let name: String
        let axis: Int
        /// Where each window of `width` units starts along the axis.
        let offsets: [Int]
        /// Rows of a matrix: what units are matched by.
        let isFeature: Bool
        /// Columns per unit on axis 1 (a conv's kernel size; 1 for a linear layer).
        let columnsPerUnit: Int
    }

    let kind: String
    let stem: String
    let width: Int
    let members: [Member]

    var features: [Member] { members.filter(\.isFeature) }
}

enum PermutationGroups {
    /// Every group whose tensors are all present with sizes that agree; a group with a
    /// missing or ill-sized member is left out (nothing of it can be undone consistently).
    static func expand(shapes: [String: [Int]], rules: [SDXLPermutations.Rule] = SDXLPermutations.rules) -> [PermutationGroup] {
        var groups: [PermutationGroup] = []
        for name in shapes.keys.sorted() {
            for rule in rules where name.hasPrefix(rule.prefix) && name.hasSuffix(rule.anchor) {
                let stem = String(name.dropLast(rule.anchor.count))
                if let group = group(rule, stem: stem, shapes: shapes) { groups.append(group) }
            }
        }
        return groups
    }

    private static func group(_ rule: SDXLPermutations.Rule, stem: String, shapes: [String: [Int]]) -> PermutationGroup? {
        var width: Int?
        var members: [PermutationGroup.Member] = []
        for member in rule.members {
            let name = stem + member.suffix
            guard let shape = shapes[name], shape.count > member.axis, shape.allSatisfy({ $0 > 0 }) else { return nil }
            let length = shape[member.axis]
            let parts = member.parts
            let window = parts.map { length % $0.count == 0 ? length / $0.count : 0 } ?? length
            guard window > 0, width == nil || width == window else { return nil }
            width = window
            let offsets = parts?.indices.map { $0 * window } ?? [0]
            members.append(.init(name: name, axis: member.axis, offsets: offsets, isFeature: member.axis == 0 && shape.count >= 2,
                                 columnsPerUnit: member.axis == 1 ? shape.dropFirst(2).reduce(1, *) : 1))
        }
        guard let width, width > 1, members.contains(where: \.isFeature) else { return nil }
        return PermutationGroup(kind: rule.kind, stem: stem, width: width, members: members)
    }
}
