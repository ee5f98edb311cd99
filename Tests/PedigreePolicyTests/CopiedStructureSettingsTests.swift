import Foundation
import PedigreePolicy
import Testing

/// classification.yaml's copied-structure settings (issue 26): read when given, defaulted
/// when omitted, and refused where they stand when out of range.
struct CopiedStructureSettingsTests {
    static func classification(_ extra: String) -> String {
        """
        metric: mean_cosine
        borderline_margin: 0.005
        bands:
          - {id: too-close, label: close, lower_bound: 0.98}
          - {id: fair, label: fair, lower_bound: 0.95}
          - {id: large-difference, label: large, lower_bound: 0.90}
          - {id: distant, label: far, lower_bound: -1.0}
        attribution:
          minimum_share: 0.175
          null_share: 0.15
          fine_tune_share: 0.85
        \(extra)
          block_groups:
            - id: unet-middle
              blocks: [unet.middle_block]

        """
    }

    @Test func theShippedSetCarriesTheFloorAndCoherence() throws {
        let set = try #require(try? PolicyLoader.loadEmbedded().get(), "the embedded set loads")
        #expect(set.classification.attribution.copiedFloor == 0.02)
        #expect(set.classification.attribution.exactCoherence == 0.3)
    }

    @Test func givenValuesAreRead() throws {
        let fixture = try PolicyFixture()
        try fixture.write("classification.yaml", Self.classification("  copied_floor: 0.04\n  exact_coherence: 0.7"))
        let set = try #require(try? PolicyLoader.load(folder: fixture.folder.path).get())
        #expect(set.classification.attribution.copiedFloor == 0.04 && set.classification.attribution.exactCoherence == 0.7)
    }

    @Test func outOfRangeValuesAreRefusedWhereTheyStand() throws {
        let fixture = try PolicyFixture()
        for (line, rule) in [("  copied_floor: 0.2", "copied_floor must be in (0, minimum_share)"), ("  copied_floor: 0", "copied_floor must be in (0, minimum_share)"),
                             ("  exact_coherence: 1", "exact_coherence must be in (0, 1)")] {
            try fixture.write("classification.yaml", Self.classification(line))
            let first = try #require(fixture.errors().first, "\(line) is refused")
            #expect(first.message.contains("classification.yaml:12:") && first.message.contains(rule), "\(first.message)")
        }
    }
}
