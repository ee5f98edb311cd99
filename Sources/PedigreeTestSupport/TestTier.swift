import Foundation
import Testing

/// The suite's two tiers. The README's `swift test` runs the quick tier: unit tests,
/// properties, snapshots and one end-to-end path per command on the smallest family, in
/// minutes. The heavy cross-checks (the merge zoo, the torch and sd-mecha oracles at every
/// size, Chromium, PostgreSQL, kill tests, fingerprints at larger widths) run only when
/// `PEDIGREE_TEST_TIER=full`, as `.ci/run` does; the full tier is every test, quick ones too.
public enum TestTier: String, Sendable {
    case quick, full

    /// `PEDIGREE_TEST_TIER`: `full` runs everything; anything else (or nothing) the quick tier.
    public static var current: TestTier {
        ProcessInfo.processInfo.environment["PEDIGREE_TEST_TIER"]?.lowercased() == "full" ? .full : .quick
    }
}

extension Trait where Self == ConditionTrait {
    /// A test or suite of the heavy tier: skipped, with this reason in the output, unless
    /// `PEDIGREE_TEST_TIER=full`.
    public static var heavy: Self {
        .enabled(if: TestTier.current == .full,
                 "heavy tier: runs with PEDIGREE_TEST_TIER=full (README, Development; .ci/run runs it in release)")
    }
}
