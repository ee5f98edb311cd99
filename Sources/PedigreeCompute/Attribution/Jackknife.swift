/// Delete-one jackknife over the units of a group (blocks of the model, or tensors of a
/// block): the spread of an estimate when each unit is left out in turn tells how much it
/// rests on any one part of the weights. A block merge or a change that projects on the
/// reference's in a few places only gets a wide interval; a uniform merge a narrow one.
enum Jackknife {
    /// The 95% interval (Student t with units − 1 degrees of freedom) around `estimate`,
    /// or nil with fewer than three units or when a leave-one-out estimate is undefined.
    static func interval(estimate: Double, units: [GramParts], total: GramParts, statistic: (GramParts) -> Double?) -> IntervalPair? {
        let m = units.count
        guard m >= 3, estimate.isFinite else { return nil }
        var values: [Double] = []
        values.reserveCapacity(m)
        for unit in units {
            guard let value = statistic(total - unit), value.isFinite else { return nil }
            values.append(value)
        }
        let mean = values.reduce(0, +) / Double(m)
        let spread = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let standardError = (Double(m - 1) / Double(m) * spread).squareRoot()
        let half = StratifiedInterval.t975(Double(m - 1)) * standardError
        return IntervalPair(low: estimate - half, high: estimate + half)
    }
}
