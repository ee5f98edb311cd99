import Foundation
@testable import PedigreeFormat
import PedigreeSupport
import Testing

/// What a file says about its own lineage, read from the conventions real tools write
/// (research/realworld.md §5), and every value treated as hostile.
@Suite struct DeclaredLineageReaderTests {
    static let noobSHA = String(repeating: "ab", count: 32)
    static let illSHA = "3e15ba00387db678ab4a099f75771c4f5ac67fda9e7100a01d263eaf30145aa9"

    @Test func a1111RecipeAndModelMapAreRead() {
        // As A1111's modules/extras.py writes them: the recipe names the models by SHA-256,
        // the map gives each one's name, legacy hash and own recipe.
        let recipe = #"{"type": "webui", "primary_model_hash": "\#(Self.illSHA)", "secondary_model_hash": "\#(Self.noobSHA)", "tertiary_model_hash": null, "interp_method": "Weighted sum", "multiplier": 0.3, "save_as_half": true}"#
        let models = #"{"\#(Self.illSHA)": {"name": "Illustrious-XL-v0.1", "legacy_hash": "e3c47aed", "sd_merge_recipe": null}, "\#(Self.noobSHA)": {"name": "NoobAI-XL-v1.0", "legacy_hash": "12345678", "sd_merge_recipe": {"type": "webui", "primary_model_hash": "\#(Self.illSHA)", "interp_method": "Add difference", "multiplier": 1}}}"#
        let declared = DeclaredLineageReader.read(metadata: ["sd_merge_recipe": recipe, "sd_merge_models": models], tensorNames: [])
        #expect(declared.notes.isEmpty, "\(declared.notes)")
        #expect(declared.models.contains(DeclaredModel(source: .webuiRecipe, role: "primary", sha256: Self.illSHA)))
        #expect(declared.models.contains(DeclaredModel(source: .webuiRecipe, role: "secondary", sha256: Self.noobSHA)))
        #expect(declared.models.contains(DeclaredModel(source: .webuiModels, role: "merged model", name: "NoobAI-XL-v1.0", sha256: Self.noobSHA, shortHash: "12345678")))
        #expect(declared.steps.map(\.method) == ["Weighted sum", "Add difference"])
        #expect(declared.steps[0].settings == ["tool=webui", "multiplier=0.3"])
        #expect(declared.declaresLineage)
    }

    @Test func modelSpecAndKohyaAreRead() {
        let declared = DeclaredLineageReader.read(metadata: [
            "modelspec.sai_model_spec": "1.0.1", "modelspec.title": "My Mix", "modelspec.author": "me",
            "modelspec.architecture": "stable-diffusion-xl-v1-base", "modelspec.prediction_type": "v",
            "modelspec.merged_from": "noobaiXLNAIXL_epsilonPred10Version, illustriousXL_v01",
            "ss_sd_model_name": "illustriousXL_v01.safetensors", "ss_new_sd_model_hash": Self.illSHA.uppercased(),
        ], tensorNames: ["model.diffusion_model.out.0.weight", "v_pred", "ztsnr"])
        #expect(declared.title == "My Mix" && declared.predictionType == "v" && declared.hasModelspec)
        #expect(declared.models.filter { $0.source == .modelspecMergedFrom }.compactMap(\.name) == ["noobaiXLNAIXL_epsilonPred10Version", "illustriousXL_v01"])
        #expect(declared.models.contains(DeclaredModel(source: .kohyaTraining, role: "training base", name: "illustriousXL_v01.safetensors", sha256: Self.illSHA)))
        #expect(declared.markers == ["v_pred", "ztsnr"])
    }

    @Test func aMechaRecipeGivesItsModelsByFileNameAndItsMethods() {
        let recipe = """
            version 0.1.0
            model "/home/someone/models/noobai-xl-eps-1.0.safetensors" model_config="sdxl-sgm" merge_space="weight"
            model "C:\\\\models\\\\illustrious-xl-v0.1.safetensors" model_config="sdxl-sgm" merge_space="weight"
            merge "weighted_sum" &1 &0 alpha=0.3
            merge "convert_sdxl_sgm_to_sgm" &2
            """
        let declared = DeclaredLineageReader.read(metadata: ["mecha_recipe": recipe], tensorNames: [])
        #expect(declared.models.compactMap(\.name) == ["noobai-xl-eps-1.0.safetensors", "illustrious-xl-v0.1.safetensors"])
        #expect(declared.steps.map(\.method) == ["weighted_sum"], "format conversions are not merge steps")
        #expect(declared.steps.first?.settings == ["illustrious-xl-v0.1.safetensors", "noobai-xl-eps-1.0.safetensors", "alpha=0.3"])
        #expect(declared.notes.isEmpty)
    }

    @Test func sdMechasOwnOutputReadsAsAWeightedSumOfTwoFilesAtOneHalf() {
        // What sd-mecha 1.1.8 wrote for weighted_sum(illustrious, noobai, alpha=0.5).
        let recipe = """
            version 0.1.0
            model "family/illustrious-xl-v0.1.safetensors" model_config="sdxl-sgm" merge_space="weight"
            model "family/noobai-xl-eps-1.0.safetensors" model_config="sdxl-sgm" merge_space="weight"
            dict key=0.5
            literal &2 model_config="singleton-mecha" merge_space="param"
            merge "convert_singleton" &3
            merge "weighted_sum" &0 &1 &4
            """
        let declared = DeclaredLineageReader.read(metadata: ["mecha_recipe": recipe], tensorNames: [])
        #expect(declared.steps == [DeclaredMergeStep(source: .mechaRecipe, method: "weighted_sum",
                                                     settings: ["illustrious-xl-v0.1.safetensors", "noobai-xl-eps-1.0.safetensors", "0.5"])])
    }

    @Test func aFileThatSaysNothingDeclaresNothing() {
        let declared = DeclaredLineageReader.read(metadata: ["format": "pt"], tensorNames: ["a", "b"])
        #expect(declared.isEmpty && !declared.declaresLineage)
    }

    // MARK: hostile values

    @Test func recipeJSONNestedAHundredThousandDeepIsANoteNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let declared = DeclaredLineageReader.read(metadata: ["sd_merge_recipe": deep, "sd_merge_models": "{\"a\": " + deep + "}"], tensorNames: [])
        #expect(declared.models.isEmpty)
        #expect(declared.notes.count == 2)
        #expect(declared.notes.allSatisfy { $0.contains("nesting deeper than 64") && $0.hasSuffix("ignored") })
    }

    @Test func aFiftyThousandLineMechaRecipeIsReadInPartWithANote() {
        // Short lines, so the whole recipe stays under the 1 MiB value limit and is read.
        let lines = ["version 0.1.0"] + (0 ..< 50_000).map { "model \"m\($0)\"" }
        let declared = DeclaredLineageReader.read(metadata: ["mecha_recipe": lines.joined(separator: "\n")], tensorNames: [])
        #expect(declared.notes.contains { $0.contains("50000 lines; the first 10000 are read") })
        #expect(declared.notes.contains { $0.contains("declared models; the first 256 are kept") })
        #expect(declared.models.count == DeclaredLineageReader.maxModels)
    }

    @Test func aValueOverOneMebibyteIsNotRead() {
        let huge = String(repeating: "x", count: DeclaredLineageReader.maxValueBytes + 1)
        let declared = DeclaredLineageReader.read(metadata: ["modelspec.merged_from": huge, "modelspec.title": "ok"], tensorNames: [])
        #expect(declared.models.isEmpty && declared.title == "ok")
        #expect(declared.notes == ["modelspec.merged_from: \(DeclaredLineageReader.maxValueBytes + 1) bytes, more than the \(DeclaredLineageReader.maxValueBytes) read; ignored"])
    }

    @Test func controlCharactersAndLongNamesAreEscapedAndCut() {
        let declared = DeclaredLineageReader.read(metadata: [
            "modelspec.title": "evil\u{1B}]0;owned\u{07}\u{202E}txt.exe",
            "modelspec.merged_from": String(repeating: "n", count: 5000) + ",<script>alert(1)</script>",
        ], tensorNames: [])
        let title = declared.title ?? ""
        #expect(!title.unicodeScalars.contains { TerminalEscaping.needsEscape($0) })
        #expect(title.contains("\\e]0;owned\\x07\\u{202E}"))
        let names = declared.models.compactMap(\.name)
        #expect(names.first?.count == 161 && names.first?.hasSuffix("…") == true)
        // Markup is kept as text here; each renderer escapes it for its medium.
        #expect(names.last == "<script>alert(1)</script>")
    }

    @Test func notJSONAndWrongShapesAreNotesOrIgnored() {
        let declared = DeclaredLineageReader.read(metadata: [
            "sd_merge_recipe": "{\"primary_model_hash\": ", "sd_merge_models": "[1, 2, 3]", "mecha_recipe": "model \"x\"",
            "ss_new_sd_model_hash": "not-a-hash",
        ], tensorNames: [])
        #expect(declared.notes.contains { $0.hasPrefix("sd_merge_recipe: not valid JSON at byte") })
        #expect(declared.notes.contains("mecha_recipe: does not start with a `version` line; ignored"))
        #expect(declared.models.isEmpty)
    }
}
