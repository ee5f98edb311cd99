import Foundation
import PedigreeFormat
@testable import PedigreeSynth

/// A small recipe with a known linear structure, and temporary folders for its output.
enum Fixtures {
    static let lineageRecipe = """
        seed: 7
        components:
          sdxl:  { kind: base, scale: 1.0 }
          noob:  { kind: delta, scale: 0.3, profile: { unet.middle_block: 1.5, clip_l: 0.5 } }
        models:
          base:  { sdxl: 1 }
          full:  { sdxl: 1, noob: 1 }
          merge: { noob: 0.6, sdxl: 1 }
        """

    /// The error a recipe text is refused with (read as `r.yaml`), or nil when it is read.
    static func failure(_ text: String) -> SynthError? {
        do {
            _ = try RecipeLoader.parse(text, path: "r.yaml")
            return nil
        } catch {
            return error
        }
    }

    static func recipe(_ text: String = lineageRecipe) throws -> SynthRecipe {
        try RecipeLoader.parse(text, path: "fixture.yaml")
    }

    /// A fresh folder under the system temporary directory, removed by the caller.
    static func temporaryFolder(_ label: String = #function) -> String {
        let name = "pedigree-synth-\(label.filter { $0.isLetter })-\(UUID().uuidString)"
        return FileManager.default.temporaryDirectory.appendingPathComponent(name).path
    }

    static func remove(_ folder: String) { try? FileManager.default.removeItem(atPath: folder) }

    static func bytes(_ family: SynthFamily, _ model: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: family.path(of: model) ?? "/nonexistent"))
    }

    /// The repository root, found from this source file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
