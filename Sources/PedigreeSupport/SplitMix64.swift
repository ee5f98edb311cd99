/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, well-mixed 64-bit generator, and
/// its finaliser on its own for turning structured inputs (seeds, counters) into keys.
/// The one copy in the project: column sampling, synthetic weights and the tests' seeded
/// generators all draw from it, so a value here is part of what fingerprints and
/// synthetic checkpoints contain — never change the constants.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The golden-ratio increment between successive states.
    public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.finalise(state)
    }

    /// The output function: a bijective avalanche of the 64 bits.
    public static func finalise(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
