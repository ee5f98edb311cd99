import Foundation
import PedigreeTestSupport
import Testing

/// Every EXAMPLES line of every `--help` runs as written, in a folder laid out as the
/// examples assume (a merge, its references, a release manifest, the policies), made from
/// the demo family at width ÷32.
///
/// The lines are read from the subcommands' sources (the text `--help` prints, before
/// ArgumentParser wraps it to the terminal's width). A pipe into another tool (`| jq …`) is
/// cut: that tool is the reader's, not Pedigree's.
@Suite(.serialized)
struct HelpExamplesCLITests {
    /// Subcommand sources in the order their examples build on each other: fingerprints
    /// first (compare and audit use them), compare before classify (it writes compare.json).
    /// `manifest init` reads the audit's JSON; `policy diff` compares the exported set with the
    /// folder; `policy new` writes scaffolds into the folder, so it runs after the other policy commands.
    static let order = ["Fingerprint", "Compare", "Classify", "Audit", "Manifest", "Card", "Stamp", "Keygen", "Attest", "Verify", "Scan", "Results", "Enqueue", "Worker", "Inspect", "Identify", "PolicyLint", "PolicyList",
                        "PolicyShow", "PolicyTest", "PolicyExport", "PolicyDiff", "Policy", "PolicyNew", "Synth", "Demo"]

    /// Subcommands whose examples, wherever they are written, only the full tier runs: the
    /// demo makes its family at its own width (160 s in a debug build, most of this test).
    static let fullTierOnly: Set<String> = ["demo", "synth"]

    static func examples(in file: URL) throws -> [String] {
        let source = try String(contentsOf: file, encoding: .utf8)
        var lines: [String] = []
        var inExamples = false
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "EXAMPLES" { inExamples = true; continue }
            if inExamples, trimmed.hasPrefix("\"\"\"") { inExamples = false; continue }
            if inExamples, trimmed.hasPrefix("pedigree ") { lines.append(trimmed) }
        }
        return lines
    }

    static func allExamples() throws -> [(source: String, line: String)] {
        let folder = packageRoot().appendingPathComponent("Sources/pedigree")
        let subcommands = try order.flatMap { name in
            try examples(in: folder.appendingPathComponent("Subcommands/\(name).swift")).map { (name, $0) }
        }
        let top = try examples(in: folder.appendingPathComponent("PedigreeCommand.swift")).map { ("PedigreeCommand", $0) }
        return subcommands + top
    }

    /// The folder the examples assume.
    static func workspace() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        let recipe = packageRoot().appendingPathComponent("Scripts/recipes/demo-family.yaml").path
        let family = FamilyCache.family(recipe: DemoFamilyFixture.recipe)
        let models = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0", "candidate-noob-merge"]
        let files = FileManager.default
        for (model, name) in zip(models, ["sdxl", "ill01", "noob", "my-merge"]) {
            try files.copyItem(atPath: "\(family)/\(model).safetensors", toPath: dir.file("\(name).safetensors"))
        }
        try files.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: dir.file("Policies"))
        try files.copyItem(atPath: recipe, toPath: dir.file("demo-family.yaml"))
        try "# My Merge\n\nA merge.\n".write(toFile: dir.file("README.md"), atomically: true, encoding: .utf8)
        // What the scan and queue examples read: a folder of uploads and lists of paths.
        try files.createDirectory(atPath: dir.file("uploads"), withIntermediateDirectories: true)
        try files.copyItem(atPath: dir.file("my-merge.safetensors"), toPath: dir.file("uploads/my-merge.safetensors"))
        try files.copyItem(atPath: dir.file("ill01.safetensors"), toPath: dir.file("uploads/ill01-copy.safetensors"))
        try "uploads/my-merge.safetensors\n".write(toFile: dir.file("catalogue.txt"), atomically: true, encoding: .utf8)
        try "\(dir.path)/uploads/ill01-copy.safetensors\n".write(toFile: dir.file("new-uploads.txt"), atomically: true, encoding: .utf8)
        for disclosed in ["recipe.md", "prompts.md", "workflow.json"] { try "disclosed\n".write(toFile: dir.file(disclosed), atomically: true, encoding: .utf8) }
        try """
        name: My Merge
        version: "1.0"
        file: my-merge.safetensors
        bases: [noobai-xl-eps-1.0, illustrious-xl-v0.1]
        licence: noobai-xl-licence
        commercial_use: false
        weights_published: true
        licence_copy_included: true
        use_restrictions_passed_on: true
        changes_stated: true
        notices_retained: true
        disclosures:
          recipe: recipe.md
          prompts: prompts.md
          workflows: workflow.json
        """.write(toFile: dir.file("release.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func theExamplesAreCovered() throws {
        let all = try Self.allExamples()
        #expect(all.count >= 25, "found \(all.count) example lines")
        // Every subcommand source that has EXAMPLES is in `order`.
        let folder = packageRoot().appendingPathComponent("Sources/pedigree/Subcommands")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let name = String(file.dropLast(6))
            if try !Self.examples(in: folder.appendingPathComponent(file)).isEmpty {
                #expect(Self.order.contains(name), "\(file) has EXAMPLES the test does not run")
            }
        }
    }

    @Test func everyExampleRunsAsWritten() throws {
        let dir = try Self.workspace()
        let binFolder = (pedigreeBinaryPath as NSString).deletingLastPathComponent
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["PEDIGREE_CACHE_DIR"] = dir.file("cache")
        environment["NO_COLOR"] = "1"
        environment["HOME"] = dir.path  // an example may write under ~ (keygen's default place)
        // A hub's examples name its PostgreSQL server: run them against the test server
        // (`.ci/run` starts one), or leave them out, saying so, when none is given.
        let postgres = ProcessInfo.processInfo.environment["PEDIGREE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
        var skipped: [String] = []
        var heavy: [String] = []
        var durations: [(seconds: Double, line: String)] = []
        for (source, example) in try Self.allExamples() {
            // The demo's and synth's examples make families wider than ÷32: minutes in a
            // debug build, so the full tier runs them (the quick tier's fixtures are made by
            // `synth` at ÷32 already, through FamilyCache).
            if TestTier.current == .quick && Self.fullTierOnly.contains(where: { example.hasPrefix("pedigree \($0) ") || example == "pedigree \($0)" }) {
                heavy.append(example)
                continue
            }
            var line = example
            if let range = line.range(of: #"postgres://\S+"#, options: .regularExpression) {
                guard let postgres else { skipped.append(line); continue }
                line.replaceSubrange(range, with: postgres)
            }
            let command = line.components(separatedBy: " | ").first!
            if command.hasPrefix("pedigree classify a.json") {
                for copy in ["a.json", "b.json", "c.json"] where !FileManager.default.fileExists(atPath: dir.file(copy)) {
                    try FileManager.default.copyItem(atPath: dir.file("compare.json"), toPath: dir.file(copy))
                }
            }
            let started = Date()
            // An example that never ends (a worker without --exit-when-empty) fails, not hangs.
            let outcome = try runProcess("/bin/sh", ["-c", "cd '\(dir.path)' && exec \(command)"], environment: environment, timeout: 600)
            durations.append((Date().timeIntervalSince(started), line))
            // 0, or 1 when an audit finds obligations unmet or unverifiable: both are answers.
            #expect([0, 1].contains(outcome.status), "\(source): `\(line)` exited \(outcome.status): \(outcome.stderr.suffix(600))")
            #expect(!outcome.stderr.contains("Error:"), "\(source): `\(line)`: \(outcome.stderr.suffix(600))")
        }
        // What the slowest examples cost, for choosing the quick tier's share (Scripts/test-times.sh).
        for (seconds, line) in durations.sorted(by: { $0.seconds > $1.seconds }).prefix(8) {
            print("note: example \(String(format: "%.1f", seconds)) s: \(line.prefix(120))")
        }
        if !heavy.isEmpty { print("note: \(heavy.count) examples of `pedigree \(Self.fullTierOnly.sorted().joined(separator: "` and `pedigree "))` run in the full tier (PEDIGREE_TEST_TIER=full)") }
        if !skipped.isEmpty {
            #expect(!TestEnvironment.isCI, "PEDIGREE_TEST_POSTGRES is not set under CI")
            print("note: \(skipped.count) examples need a PostgreSQL server (PEDIGREE_TEST_POSTGRES) and were not run")
        }
    }
}
