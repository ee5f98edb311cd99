/// The release manifests the demo's candidates come with. They are ordinary
/// manifest YAML, validated by the same loader users' manifests go through.
enum DemoManifests {
    struct Candidate {
        let model: String
        let story: String
        let manifest: String
    }

    static let candidates: [Candidate] = [
        Candidate(
            model: "candidate-noob-merge",
            story: "a NoobAI merge sold as an \"Illustrious\" fine-tune",
            manifest: """
            # Sold as an Illustrious fine-tune; its weights say otherwise.
            name: Sakura Illustrious Mix
            version: "2.1"
            file: candidate-noob-merge.safetensors
            bases: [illustrious-xl-v0.1]
            licence: faipl-1.0-sd
            commercial_use: true          # sold on a paid generation service
            weights_published: true
            licence_copy_included: true
            use_restrictions_passed_on: true
            disclosures:
              recipe: null                # "secret sauce"
              prompts: null
              workflows: null
            """),
        Candidate(
            model: "candidate-illustrious-finetune",
            story: "a clean Illustrious XL 0.1 fine-tune",
            manifest: """
            # A fine-tune of Illustrious XL v0.1 that keeps its licence's terms.
            name: Clear Sky Illustrious
            version: "1.0"
            file: candidate-illustrious-finetune.safetensors
            bases: [illustrious-xl-v0.1]
            licence: faipl-1.0-sd
            commercial_use: false
            weights_published: true
            licence_copy_included: true
            use_restrictions_passed_on: true
            changes_stated: true
            notices_retained: true
            disclosures:
              recipe: https://example.org/clear-sky/training.md
              prompts: https://example.org/clear-sky/prompts.md
              workflows: https://example.org/clear-sky/workflow.json
              training_data: https://example.org/clear-sky/dataset.md
            """),
        Candidate(
            model: "candidate-far-off",
            story: "a model far from every reference",
            manifest: """
            # Claims SDXL base, but is far from every reference Pedigree was given.
            name: Outlier XL
            version: "0.3"
            file: candidate-far-off.safetensors
            bases: [sdxl-base-1.0]
            licence: creativeml-openrail++-m
            commercial_use: true
            weights_published: true
            licence_copy_included: true
            use_restrictions_passed_on: true
            changes_stated: true
            notices_retained: true
            disclosures:
              recipe: https://example.org/outlier/recipe.md
            """),
        Candidate(
            model: "candidate-similar-data",
            story: "an Illustrious fine-tune trained on data like NoobAI's",
            manifest: """
            # Trained on Illustrious XL v0.1 with a dataset like NoobAI's; no NoobAI weights.
            name: Harbour Lights Illustrious
            version: "1.2"
            file: candidate-similar-data.safetensors
            bases: [illustrious-xl-v0.1]
            licence: faipl-1.0-sd
            commercial_use: false
            weights_published: true
            licence_copy_included: true
            use_restrictions_passed_on: true
            changes_stated: true
            notices_retained: true
            disclosures:
              recipe: https://example.org/harbour-lights/training.md
              prompts: https://example.org/harbour-lights/prompts.md
              workflows: https://example.org/harbour-lights/workflow.json
              training_data: https://example.org/harbour-lights/dataset.md
            """),
    ]
}
