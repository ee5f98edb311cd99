import PedigreeCompute
import PedigreeLineage

/// Hand-built audit reports covering the three situations users meet: a NoobAI merge sold
/// as an Illustrious model (unmet obligations, exit 1), a clean Illustrious fine-tune
/// (everything met, exit 0, sampled mode with intervals), and a model far from every
/// reference (lineage unknown).
enum Fixtures {
    typealias B = FixtureBuilders

    static let metric = B.decode(MetricDescription.self, [
        "id": "mean_cosine",
        "definition": "mean over all columns of all compared tensors (NaN ignored) of cosine_similarity(normalize(A, dim=0), normalize(C, dim=0), dim=0), in float32 semantics",
        "include": ["model.diffusion_model.", "conditioner.embedders."], "exclude": ["first_stage_model."],
    ])

    static let noobPath = "/refs/noobaiXLNAIXL_epsilonPred10Version.safetensors"
    static let illustriousPath = "/refs/Illustrious-XL-v0.1.safetensors"
    static let sdxlPath = "/refs/sd_xl_base_1.0.safetensors"
    static let noobSHA = "ea349eeae87ca8d25ba902c93810f7ca83e5c82f920edf12f273af004ae02819"
    static let illustriousSHA = "d5cd2b8fd28d2e8efc4db0ac4f2ee2e4ec3fd6b5ce65d6e3e3fa8f0b34b5c2a1"
    static let sdxlSHA = "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b"

    static let standardBaselines = [
        B.baseline("illustrious-xl-v0.1", "noobai-xl-eps-1.0", 0.9688),
        B.baseline("illustrious-xl-v0.1", "sdxl-base-1.0", 0.9317),
        B.baseline("noobai-xl-eps-1.0", "sdxl-base-1.0", 0.9102),
    ]

    // MARK: NoobAI merge sold as Illustrious

    static var noobMergeSoldAsIllustrious: AuditReport {
        let references = [
            ReferenceVerdict(id: "noobai-xl-eps-1.0", name: "NoobAI XL eps 1.0", path: noobPath, sha256: noobSHA, kind: "checkpoint",
                             meanCosine: 0.9935, interval: nil, band: .tooClose, borderline: false,
                             components: B.components(unet: 0.9941, clipL: 0.9902, clipG: 0.9917, vae: 1.0),
                             blocks: B.blocks(centre: 0.9925, inputOffset: 0.004, outputOffset: -0.006),
                             deltas: [B.delta(ancestor: "illustrious-xl-v0.1", descendant: "noobai-xl-eps-1.0", share: 0.61234, cosine: 0.9412,
                                              components: [B.part("unet", share: 0.6187, cosine: 0.9455), B.part("clip_l", share: 0.5012, cosine: 0.9033),
                                                           B.part("clip_g", share: 0.5521, cosine: 0.9120)])]),
            ReferenceVerdict(id: "illustrious-xl-v0.1", name: "Illustrious XL v0.1", path: illustriousPath, sha256: illustriousSHA, kind: "checkpoint",
                             meanCosine: 0.9781, interval: nil, band: .fair, borderline: true,
                             components: B.components(unet: 0.9779, clipL: 0.9801, clipG: 0.9794, vae: 1.0),
                             blocks: B.blocks(centre: 0.9772, inputOffset: -0.012, outputOffset: 0.009, wobble: 0.003),
                             deltas: []),
            ReferenceVerdict(id: "sdxl-base-1.0", name: "Stable Diffusion XL base 1.0", path: sdxlPath, sha256: sdxlSHA, kind: "fingerprint",
                             meanCosine: 0.9207, interval: nil, band: .largeDifference, borderline: false,
                             components: B.components(unet: 0.9188, clipL: 0.9512, clipG: 0.9306, vae: 0.9999),
                             blocks: B.blocks(centre: 0.9215, inputOffset: -0.01, outputOffset: -0.02, wobble: 0.006),
                             deltas: []),
        ]
        let inheritance = [
            InheritedModel(id: "noobai-xl-eps-1.0", name: "NoobAI XL eps 1.0", licence: "noobai-xl-license", via: ["noobai-xl-eps-1.0"], evidence: [
                Evidence(rule: .closestReference, detail: "closest reference, in the too-close band", figures: ["mean_cosine": 0.9935], band: .tooClose),
                Evidence(rule: .deltaShare, detail: "carries 61.2% of NoobAI's change from Illustrious", figures: ["share": 0.6123, "cosine": 0.9412], band: nil),
            ]),
            InheritedModel(id: "illustrious-xl-v0.1", name: "Illustrious XL v0.1", licence: "illustrious-license", via: ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"], evidence: [
                Evidence(rule: .ancestorOfInherited, detail: "NoobAI XL eps 1.0 is fine-tuned from Illustrious XL v0.1", figures: [:], band: nil),
            ]),
            InheritedModel(id: "sdxl-base-1.0", name: "Stable Diffusion XL base 1.0", licence: "openrail++", via: ["noobai-xl-eps-1.0", "illustrious-xl-v0.1", "sdxl-base-1.0"], evidence: [
                Evidence(rule: .ancestorOfInherited, detail: "Illustrious XL v0.1 is fine-tuned from SDXL base 1.0", figures: [:], band: nil),
            ]),
        ]
        let obligations = [
            ObligationCheck(id: "no-commercial-use", licence: "noobai-xl-license", licenceName: "NoobAI XL License", sourceModel: "noobai-xl-eps-1.0", via: [],
                            summary: "No commercial use of the model or its derivatives", severity: .required, status: .unmet,
                            reason: "the manifest declares commercial_use: true", manifestField: "commercial_use"),
            ObligationCheck(id: "open-source-derivatives", licence: "noobai-xl-license", licenceName: "NoobAI XL License", sourceModel: "noobai-xl-eps-1.0", via: [],
                            summary: "Derivatives must be open source", severity: .required, status: .unmet,
                            reason: "weights are declared paid-download only (distribution: paid)", manifestField: "distribution"),
            ObligationCheck(id: "share-synthesis-details", licence: "noobai-xl-license", licenceName: "NoobAI XL License", sourceModel: "noobai-xl-eps-1.0", via: [],
                            summary: "Share synthesis formulas, prompts and workflows", severity: .required, status: .unverifiable,
                            reason: "the manifest has no merge_recipe or workflow field", manifestField: nil),
            ObligationCheck(id: "attribution", licence: "illustrious-license", licenceName: "Illustrious License", sourceModel: "illustrious-xl-v0.1", via: ["illustrious-license", "openrail++"],
                            summary: "Credit Illustrious XL in the model description", severity: .requested, status: .met,
                            reason: "credits name Illustrious XL v0.1", manifestField: "credits"),
            ObligationCheck(id: "use-restrictions", licence: "openrail++", licenceName: "CreativeML Open RAIL++-M", sourceModel: "sdxl-base-1.0", via: [],
                            summary: "Pass on the use restrictions (Attachment A)", severity: .required, status: .met,
                            reason: "licence_text includes the use restrictions", manifestField: "licence_text"),
        ]
        return AuditReport(
            tool: B.tool,
            candidate: CandidateIdentity(path: "/uploads/MoonlitMix_v2.safetensors", sha256: "7c1f0a9e5b2d4c8e6f3a1b0d9c8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"),
            release: ReleaseSummary(manifestPath: "releases/moonlit-mix.yaml", name: "Moonlit Mix", version: "2.0", file: "MoonlitMix_v2.safetensors",
                                    declaredBases: ["illustrious-xl-v0.1"], licence: "illustrious-license", commercialUse: true),
            metric: metric, mode: .exact, thresholds: BandThresholds(),
            references: references, baselines: standardBaselines,
            lineage: LineageVerdict(status: .identified, likelyBase: "noobai-xl-eps-1.0", relation: .merge, shares: ["noobai-xl-eps-1.0": 0.61234],
                                    summary: "A merge carrying about 61% of NoobAI XL eps 1.0's change from Illustrious XL v0.1, released as an Illustrious model.",
                                    borderline: false),
            inheritsFrom: ["illustrious-xl-v0.1", "noobai-xl-eps-1.0", "sdxl-base-1.0"],
            inheritance: inheritance, obligations: obligations,
            findings: [
                Finding(.undeclaredBase, "The closest reference, NoobAI XL eps 1.0 (too close), is not among the declared bases (illustrious-xl-v0.1)."),
                Finding(.commercialUseForbidden, "The release allows commercial use; the NoobAI XL License forbids it."),
                Finding(.licenceNeedsReview, "The chosen licence illustrious-license does not carry the NoobAI XL License's terms."),
            ],
            modelCard: ModelCardFragment(license: "other", licenseName: "noobai-xl-license", licenseLink: "https://example.org/licences/noobai-xl",
                                         baseModel: ["Laxhar/noobai-XL-1.0", "OnomaAIResearch/Illustrious-xl-early-release-v0"], baseModelRelation: "merge"),
            outcome: Outcome(exitStatus: 1, unmet: 2, unverifiable: 1,
                             summary: "2 obligations unmet and 1 unverifiable: the release is offered for commercial use and paid download, which NoobAI XL's licence forbids."))
    }

    // MARK: Clean Illustrious fine-tune (sampled)

    static var cleanIllustriousFinetune: AuditReport {
        let references = [
            ReferenceVerdict(id: "illustrious-xl-v0.1", name: "Illustrious XL v0.1", path: "/fingerprints/illustrious-xl-v0.1.pfp", sha256: illustriousSHA, kind: "fingerprint",
                             meanCosine: 0.9863, interval: Interval(low: 0.9851, high: 0.9875), band: .tooClose, borderline: false,
                             components: B.components(unet: 0.9858, clipL: 0.9921, clipG: 0.9899, vae: 1.0),
                             blocks: B.blocks(centre: 0.9861, outputOffset: -0.004, sampled: true), deltas: []),
            ReferenceVerdict(id: "noobai-xl-eps-1.0", name: "NoobAI XL eps 1.0", path: "/fingerprints/noobai-xl-eps-1.0.pfp", sha256: noobSHA, kind: "fingerprint",
                             meanCosine: 0.9604, interval: Interval(low: 0.9589, high: 0.9619), band: .fair, borderline: false,
                             components: B.components(unet: 0.9597, clipL: 0.9702, clipG: 0.9655, vae: 1.0),
                             blocks: B.blocks(centre: 0.9601, wobble: 0.004, sampled: true),
                             deltas: [B.delta(ancestor: "illustrious-xl-v0.1", descendant: "noobai-xl-eps-1.0", share: 0.0213, cosine: 0.0455,
                                              components: [B.part("unet", share: 0.0198, cosine: 0.0431)])]),
            ReferenceVerdict(id: "sdxl-base-1.0", name: "Stable Diffusion XL base 1.0", path: "/fingerprints/sdxl-base-1.0.pfp", sha256: sdxlSHA, kind: "fingerprint",
                             meanCosine: 0.9291, interval: Interval(low: 0.9270, high: 0.9312), band: .largeDifference, borderline: false,
                             components: B.components(unet: 0.9275, clipL: 0.9544, clipG: 0.9380, vae: 0.9999),
                             blocks: B.blocks(centre: 0.9290, wobble: 0.006, sampled: true), deltas: []),
        ]
        let inheritance = [
            InheritedModel(id: "illustrious-xl-v0.1", name: "Illustrious XL v0.1", licence: "illustrious-license", via: ["illustrious-xl-v0.1"], evidence: [
                Evidence(rule: .closestReference, detail: "closest reference, in the too-close band", figures: ["mean_cosine": 0.9863], band: .tooClose),
            ]),
            InheritedModel(id: "sdxl-base-1.0", name: "Stable Diffusion XL base 1.0", licence: "openrail++", via: ["illustrious-xl-v0.1", "sdxl-base-1.0"], evidence: [
                Evidence(rule: .ancestorOfInherited, detail: "Illustrious XL v0.1 is fine-tuned from SDXL base 1.0", figures: [:], band: nil),
            ]),
        ]
        let obligations = [
            ObligationCheck(id: "attribution", licence: "illustrious-license", licenceName: "Illustrious License", sourceModel: "illustrious-xl-v0.1", via: [],
                            summary: "Credit Illustrious XL in the model description", severity: .requested, status: .met,
                            reason: "credits name Illustrious XL v0.1", manifestField: "credits"),
            ObligationCheck(id: "use-restrictions", licence: "openrail++", licenceName: "CreativeML Open RAIL++-M", sourceModel: "sdxl-base-1.0", via: [],
                            summary: "Pass on the use restrictions (Attachment A)", severity: .required, status: .met,
                            reason: "licence_text includes the use restrictions", manifestField: "licence_text"),
        ]
        return AuditReport(
            tool: B.tool,
            candidate: CandidateIdentity(path: "/uploads/sunrise-anime-xl-1.1.safetensors", sha256: "0b3d5f7a9c1e2d4f6a8b0c2e4f6a8b0d1e3f5a7b9c0d2e4f6a8b0c1d3e5f7a9b"),
            release: ReleaseSummary(manifestPath: "releases/sunrise.yaml", name: "Sunrise Anime XL", version: "1.1", file: "sunrise-anime-xl-1.1.safetensors",
                                    declaredBases: ["illustrious-xl-v0.1"], licence: "illustrious-license", commercialUse: false),
            metric: metric, mode: .sampled, thresholds: BandThresholds(),
            references: references, baselines: standardBaselines,
            lineage: LineageVerdict(status: .identified, likelyBase: "illustrious-xl-v0.1", relation: .finetune, shares: [:],
                                    summary: "A fine-tune of Illustrious XL v0.1, as declared.", borderline: false),
            inheritsFrom: ["illustrious-xl-v0.1", "sdxl-base-1.0"], inheritance: inheritance, obligations: obligations,
            findings: [],
            modelCard: ModelCardFragment(license: "other", licenseName: "illustrious-license", licenseLink: "https://example.org/licences/illustrious",
                                         baseModel: ["OnomaAIResearch/Illustrious-xl-early-release-v0"], baseModelRelation: "finetune"),
            outcome: Outcome(exitStatus: 0, unmet: 0, unverifiable: 0, summary: "Every inherited obligation is met."))
    }

    // MARK: Far from every reference

    static var unknownLineage: AuditReport {
        let references = [
            ReferenceVerdict(id: "sdxl-base-1.0", name: "Stable Diffusion XL base 1.0", path: sdxlPath, sha256: sdxlSHA, kind: "checkpoint",
                             meanCosine: 0.4213, interval: nil, band: .distant, borderline: false,
                             components: B.components(unet: 0.4102, clipL: 0.6120, clipG: 0.5033, vae: .nan),
                             blocks: B.blocks(centre: 0.42, wobble: 0.05), deltas: []),
            ReferenceVerdict(id: "illustrious-xl-v0.1", name: "Illustrious XL v0.1", path: illustriousPath, sha256: illustriousSHA, kind: "checkpoint",
                             meanCosine: 0.8876, interval: nil, band: .distant, borderline: false,
                             components: B.components(unet: 0.8801, clipL: 0.9312, clipG: 0.9011, vae: .nan),
                             blocks: B.blocks(centre: 0.875, inputOffset: 0.01, outputOffset: 0.03, wobble: 0.01), deltas: []),
        ]
        return AuditReport(
            tool: B.tool,
            candidate: CandidateIdentity(path: "/models/experiments/from-scratch_ep40.safetensors", sha256: nil),
            release: nil, metric: metric, mode: .exact, thresholds: BandThresholds(),
            references: references, baselines: [B.baseline("illustrious-xl-v0.1", "sdxl-base-1.0", 0.9317)],
            lineage: LineageVerdict(status: .unknown, likelyBase: nil, relation: .unknown, shares: [:],
                                    summary: "Not close to any reference: no lineage identified.", borderline: false),
            inheritsFrom: [], inheritance: [], obligations: [],
            findings: [Finding(.lineageUnknown, "No reference reaches the large-difference band; the checkpoint may be trained from scratch or descend from a model not in the policy.")],
            modelCard: ModelCardFragment(license: nil, licenseName: nil, licenseLink: nil, baseModel: [], baseModelRelation: nil),
            outcome: Outcome(exitStatus: 1, unmet: 0, unverifiable: 0, summary: "FAIL: 1 release finding."))
    }

    static var all: [(name: String, report: AuditReport)] {
        [("noob-merge", noobMergeSoldAsIllustrious), ("clean-finetune", cleanIllustriousFinetune), ("unknown-lineage", unknownLineage)]
    }

    /// The merge fixture with hostile strings everywhere a person can type one.
    static var hostile: AuditReport {
        var report = noobMergeSoldAsIllustrious
        let nasty = "Evil | <script>alert(\"x\")</script> & 'quoted' *bold* [link](http://x)"
        report.release?.name = nasty
        report.lineage.summary = "Merge of A | B <img src=x onerror=alert(1)> & more"
        report.obligations[0].reason = "reason with | pipe and <b>tags</b> & \"quotes\"\nand a newline"
        report.findings[0].message = "# not a heading | <script>bad()</script>"
        report.references[0].name = "Noob | <svg onload=alert(1)>"
        report.modelCard.licenseName = "name: \"quoted\" | <script> & 'single' #hash\nsecond line"
        report.modelCard.baseModel = ["org/model: with colon", "- dash", "yes", "1.0"]
        return report
    }
}
