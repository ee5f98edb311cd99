import Foundation

/// Models of the demo family (`Scripts/recipes/demo-family.yaml`), made by the built binary
/// into a fresh directory, `<id>.safetensors` each: the fixture the CLI suites start from.
public enum DemoFamilyFixture {
    /// Synthesises `models` at `widthDivisor` (÷32 by default: seconds, not minutes), with the
    /// hash cache in the directory's `cache/`. A failed synth stops the suite with its stderr.
    public static func make(_ models: [String], widthDivisor: Int = 32) -> TemporaryDirectory {
        do {
            let dir = try TemporaryDirectory()
            let recipe = packageRoot().appendingPathComponent("Scripts/recipes/demo-family.yaml").path
            let made = runPedigree(["synth", recipe, "--out", dir.path, "--width-divisor", String(widthDivisor)] + models.flatMap { ["--only", $0] },
                                   environment: ["PEDIGREE_CACHE_DIR": dir.file("cache")])
            guard made.status == 0 else { fatalError("synth failed: \(made.stderr)") }
            return dir
        } catch { fatalError("cannot make a temporary directory: \(error)") }
    }

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
