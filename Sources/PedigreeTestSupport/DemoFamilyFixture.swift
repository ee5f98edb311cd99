import Foundation

/// Models of the demo family (`Scripts/recipes/demo-family.yaml`), made by the built binary
/// once per build (`FamilyCache`), `<id>.safetensors` each: the fixture the CLI suites start from.
public enum DemoFamilyFixture {
    /// `models` of the demo family at `widthDivisor` (÷32 by default: seconds, not minutes),
    /// copied from the shared cache (`FamilyCache`) into a fresh directory whose `cache/` is
    /// the suite's hash cache.
    public static func make(_ models: [String], widthDivisor: Int = 32) -> TemporaryDirectory {
        FamilyCache.copy(recipe: recipe, models: models, widthDivisor: widthDivisor)
    }

    /// The demo family's recipe, relative to the package root.
    public static let recipe = "Scripts/recipes/demo-family.yaml"

    /// A release manifest for `file` declaring `bases`, every yes/no obligation field met.
    public static func manifest(name: String = "My Merge", file: String, bases: [String], licence: String) -> String {
        """
        name: \(name)
        version: "1.0"
        file: \(file)
        bases: [\(bases.joined(separator: ", "))]
        licence: \(licence)
        commercial_use: false
        weights_published: true
        licence_copy_included: true
        use_restrictions_passed_on: true
        changes_stated: true
        notices_retained: true
        """
    }
}
