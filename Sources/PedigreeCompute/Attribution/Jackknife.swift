/// Delete-one jackknife over the units of a group (blocks of the model, or tensors of a
/// block): the spread of an estimate when each unit is left out in turn tells how much it
/// rests on any one part of the weights. A block merge or a change that projects on the
/// reference's in a few places only gets a wide interval; a uniform merge a narrow one.
enum Jackknife {
    /// Each leave-one-out group (the total less one unit), or nil with fewer than three
    /// units. Solving once per left-out unit serves every reference's interval.
    static func leaveOneOut(units: [GramParts], total: GramParts) -> [GramParts]? {
        units.count >= 3 ? units.map { total - $0 } : nil
    }

    /// The 95% interval (Student t with m − 1 degrees of freedom) around `estimate` from the
    /// m leave-one-out values, or nil with fewer than three or when one is undefined.
    static func interval(estimate: Double, leaveOneOut values: [Double?]?) -> IntervalPair? {
        guard let values, values.count >= 3, estimate.isFinite else { return nil }
        var finite: [Double] = []
        finite.reserveCapacity(values.count)
        for value in values {
            guard let value, value.isFinite else { return nil }
            finite.append(value)
        }
        let m = finite.count
        let mean = finite.reduce(0, +) / Double(m)
        let spread = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let standardError = (Double(m - 1) / Double(m) * spread).squareRoot()
        let half = StratifiedInterval.t975(Double(m - 1)) * standardError
        return IntervalPair(low: estimate - half, high: estimate + half)
    }
}
