import PedigreeCompute
import PedigreeFormat
import PedigreeSupport

/// The caches the CLI keeps between runs (the library keeps none unless given one).
/// A damaged cache file is ignored and rebuilt; the user hears about it once, on stderr.
enum CLICaches {
    static func hashes() -> HashCache { noted(HashCache()) { $0.damage } }
    static func baselines() -> BaselineCache { noted(BaselineCache()) { $0.damage } }

    /// Spectral bases of reference pairs; damage shows only once a pair's file is read.
    static func spectral() -> SpectralBasisCache { SpectralBasisCache() }

    static func noteDamage(_ note: String?) {
        if let note { Terminal.diagnostic("note: " + TerminalEscaping.escape(note)) }
    }

    private static func noted<Cache>(_ cache: Cache, _ damage: (Cache) -> String?) -> Cache {
        if let note = damage(cache) { Terminal.diagnostic("note: " + TerminalEscaping.escape(note)) }
        return cache
    }
}
