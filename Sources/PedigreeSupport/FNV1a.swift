/// 64-bit FNV-1a: a small, stable, non-cryptographic hash for deriving seeds and cache
/// names from text. Stable across runs and platforms, unlike Swift's `Hasher`.
public enum FNV1a {
    public static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
