import Foundation
import PedigreeYAML
import Testing
@testable import PedigreePolicy

/// The repository's own `Policies/` folder: it must lint clean and answer the questions the
/// audit asks of it.
@Suite struct ShippedPolicyTests {
    let set: PolicySet

    init() throws {
        set = try PolicyLoader.load(folder: shippedPoliciesFolder()).get()
    }

    @Test func lintsCleanWithTheRequiredIds() {
        let ids = Set(set.models.map(\.id))
        #expect(ids == ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v1.0", "illustrious-xl-v1.1",
                        "illustrious-xl-v2.0", "noobai-xl-eps-1.0", "noobai-xl-eps-1.1", "noobai-xl-vpred-1.0",
                        "pony-diffusion-v6-xl", "animagine-xl-3.1", "animagine-xl-4.0", "kohaku-xl-beta5"])
        #expect(set.licences.count == 6)
    }

    @Test func noobaiPassesOnRecipeSharingFromItsOwnLicence() throws {
        let obligations = InheritedObligations.obligations(for: "noobai-xl-eps-1.0", in: set)
        let recipe = try #require(obligations.first { $0.obligation.id == "share-recipe" })
        #expect(recipe.licenceId == "noobai-xl-licence")
        #expect(recipe.obligation.severity == .required)
        #expect(recipe.obligation.metBy.map(\.field) == [.recipe])
        #expect(recipe.pathText == "noobai-xl-eps-1.0 → licence noobai-xl-licence")
    }

    @Test func noobaiInheritsThroughIllustriousAndFaipl() throws {
        let obligations = InheritedObligations.obligations(for: "noobai-xl-eps-1.0", in: set)
        let fromIllustrious = obligations.filter { $0.licenceId == "illustrious-xl-v0.1-terms" }
        #expect(fromIllustrious.contains { $0.obligation.id == "share-recipe" && $0.obligation.severity == .requested })
        #expect(fromIllustrious.first?.path.map(\.id) == ["noobai-xl-eps-1.0", "illustrious-xl-v0.1", "illustrious-xl-v0.1-terms"])
        let faipl = try #require(obligations.first { $0.licenceId == "faipl-1.0-sd" && $0.obligation.id == "source-availability" })
        // Shortest path wins: FAIPL is reached through NoobAI's own `extends` first.
        #expect(faipl.pathText == "noobai-xl-eps-1.0 → licence noobai-xl-licence → extends faipl-1.0-sd")
        let reached = InheritedObligations.licences(for: "noobai-xl-eps-1.0", in: set).map(\.licence.id)
        #expect(reached == ["noobai-xl-licence", "faipl-1.0-sd", "illustrious-xl-v0.1-terms",
                            "creativeml-openrail-m", "creativeml-openrail++-m"])
    }

    @Test func lineageGoesUpToSdxlBase() {
        #expect(set.lineage.roots(of: "noobai-xl-vpred-1.0") == ["sdxl-base-1.0"])
        #expect(set.lineage.ancestors(of: "illustrious-xl-v2.0").map(\.id)
                == ["illustrious-xl-v1.1", "illustrious-xl-v1.0", "illustrious-xl-v0.1", "kohaku-xl-beta5", "sdxl-base-1.0"])
        #expect(set.model("animagine-xl-3.1")?.parents.first?.skipped.contains("Animagine XL 3.0") == true)
    }

    @Test func commercialUseAndDerivativeLicences() {
        #expect(DerivativeLicenceCheck.commercialUse(for: "noobai-xl-eps-1.0", in: set) == (.forbidden, "noobai-xl-licence"))
        #expect(DerivativeLicenceCheck.commercialUse(for: "animagine-xl-4.0", in: set).status == .allowed)
        let animagine = DerivativeLicenceCheck.check(chosen: "creativeml-openrail-m", for: "animagine-xl-4.0", in: set)
        #expect(animagine.map(\.verdict) == [.allowed])
        let noob = DerivativeLicenceCheck.check(chosen: "creativeml-openrail++-m", for: "noobai-xl-eps-1.0", in: set)
        #expect(noob.first { $0.sourceLicence == "noobai-xl-licence" }?.verdict == .notAllowed)
    }

    @Test func uncertaintyIsRecordedWhereSourcesDisagree() {
        for id in ["pony-diffusion-v6-xl", "illustrious-xl-v1.0", "illustrious-xl-v2.0"] {
            #expect(set.model(id)?.uncertainty.contains { $0.about == "licence" } == true, "\(id)")
        }
        #expect(set.licence("illustrious-xl-v0.1-terms")?.obligations.allSatisfy { $0.severity != .required } == true)
    }

    @Test func hashesAreSecondaryAndMatchAutoV2() {
        for file in set.models.flatMap(\.files) {
            if let sha = file.sha256 {
                #expect(file.evidence == .secondary, "\(file.name)")
                #expect(file.autov2 == String(sha.prefix(10)).uppercased())
            }
        }
        #expect(set.model(matching: "v6.safetensors")?.id == "pony-diffusion-v6-xl")
    }

    @Test func shippedBandsAreTheSeedArticles() {
        let bands = set.classification
        #expect(bands.metric == .meanCosine)
        #expect(bands.bands.map(\.band) == Band.closestFirst)
        #expect(Band.closestFirst.map { bands.lowerBound(of: $0) } == [0.98, 0.95, 0.90, -1.0])
        #expect(bands == ClassificationSettings.default.withSource(bands.source, location: bands.location, meanings: bands.bands.map(\.meaning)))
    }

    @Test func didYouMean() {
        #expect(DidYouMean.levenshtein("licnece", "licence") == 1)
        #expect(DidYouMean.levenshtein("kitten", "sitting") == 3)
        #expect(DidYouMean.suggestion(for: "publsher", among: ["publisher", "name"]) == "publisher")
        #expect(DidYouMean.suggestion(for: "zzz", among: ["publisher"]) == nil)
    }
}

extension ClassificationSettings {
    /// The default with the file-only details copied in, to compare bounds and margins.
    func withSource(_ source: String?, location: PedigreeYAML.SourceLocation?, meanings: [String?]) -> ClassificationSettings {
        var copy = self
        copy.source = source
        copy.location = location
        for index in copy.bands.indices where index < meanings.count { copy.bands[index].meaning = meanings[index] }
        return copy
    }
}
