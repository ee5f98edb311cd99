import ArgumentParser
import Foundation
import PedigreeFormat
import PedigreeSupport
import PedigreeSynth

/// `pedigree synth`: writes a family of synthetic SDXL-shaped checkpoints with a planted
/// lineage. Parses, calls `SynthFamilyWriter`, prints a summary; nothing else lives here.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic SDXL-shaped checkpoints with a planted, known lineage.",
        discussion: """
            Every model in RECIPE.yaml is a weighted sum of named, seeded random components \
            (a base and its deltas), written with exactly SDXL's 2,514 tensor names and shapes. \
            DIR/family.json records the planted truth (component weights, parents, \
            claims). The same recipe, divisor and dtype always give the same bytes.

            Sizes per model in F16: --width-divisor 1 is full size (6.9 GB), 2 is about \
            1.7 GB, 16 about 27 MB. The recipe schema is in Sources/PedigreeSynth/README.md.

            EXAMPLES
              pedigree synth demo-family.yaml --out fixtures --width-divisor 16
              pedigree synth demo-family.yaml --out bf16-family --width-divisor 32 --dtype bf16
              pedigree synth demo-family.yaml --out one-model --width-divisor 8 --only noobai-xl-eps-1.0
            """
    )

    @Argument(help: "The recipe (YAML) describing components and models.")
    var recipe: String

    @Option(name: .long, help: ArgumentHelp("Folder to write the checkpoints and family.json into.", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: "Divide every width (multiple-of-64 dimension) by N; 1 is full size.")
    var widthDivisor: Int = 1

    @Option(name: .long, help: "Element type: f16, bf16 or f32.")
    var dtype: String = "f16"

    @Option(name: .long, help: ArgumentHelp("Write only this model of the recipe (repeatable); its bytes are the same as in the whole family.", valueName: "MODEL"))
    var only: [String] = []

    func run() throws {
        guard let type = ["f16": DType.f16, "bf16": .bf16, "f32": .f32][dtype.lowercased()] else {
            throw SynthError.invalidOption(option: "--dtype", rule: "must be one of f16, bf16, f32, got '\(dtype)'")
        }
        let parsed = try RecipeLoader.load(path: recipe).restricted(to: only, path: recipe)
        let started = Date()
        let family = try SynthFamilyWriter.write(recipe: parsed, outDir: out, widthDivisor: widthDivisor, dtype: type,
                                                 progress: TerminalProgressBar.forStderr())
        let seconds = Date().timeIntervalSince(started)
        let total = family.models.reduce(0) { $0 + $1.bytes }
        for model in family.models {
            print("\(model.file)  \(HumanUnits.bytes(Double(model.bytes)))")
        }
        print("wrote \(family.models.count) models (\(HumanUnits.bytes(Double(total)))) and \(SynthFamily.fileName) to \(out) "
              + "in \(String(format: "%.1f", seconds)) s (\(HumanUnits.bytes(Double(total) / max(seconds, 1e-3)))/s)")
    }
}
