import Foundation
import PedigreeTestSupport
import Testing

/// The policy-authoring commands end to end through the built binary: manifest init turning a
/// failing audit into a pass, policy test, lint warnings, scaffolds, diff, export, and the
/// embedded policy set in a binary copied away from the repository.
@Suite(.serialized)
struct AuthoringCLITests {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]

    /// A width ÷32 demo family with the NoobAI merge (the shared fixture), copied once for this suite.
    static let family = DemoFamilyFixture.make(references + ["candidate-noob-merge"])

    var refArgs: [String] { Self.references.flatMap { ["--ref", "\($0)=\(Self.family.file("\($0).safetensors"))"] } }
    var environment: [String: String] { ["PEDIGREE_CACHE_DIR": Self.family.file("cache")] }

    /// The demo's manifest for the NoobAI merge: sold as an Illustrious fine-tune.
    static let soldAsIllustrious = """
    name: Sakura Illustrious Mix
    version: "2.1"
    file: candidate-noob-merge.safetensors
    bases: [illustrious-xl-v0.1]
    licence: faipl-1.0-sd
    commercial_use: true
    weights_published: true
    licence_copy_included: true
    use_restrictions_passed_on: true
    disclosures:
      recipe: null
      prompts: null
      workflows: null
    """

    @Test func manifestInitThenFillingItsFieldsTurnsTheFailingMergeIntoAPass() throws {
        let dir = try TemporaryDirectory()
        let release = try dir.write(Array(Self.soldAsIllustrious.utf8), to: "sakura.release.yaml")
        let candidate = Self.family.file("candidate-noob-merge.safetensors")
        let failing = runPedigree(["audit", candidate] + refArgs + ["--release", release, "--report-dir", dir.file("reports")], environment: environment)
        #expect(failing.status == 1, "\(failing.stderr)")
        let reportFiles = try FileManager.default.contentsOfDirectory(atPath: dir.file("reports"))
        let auditJSON = dir.file("reports/" + (try #require(reportFiles.first { $0.hasSuffix(".json") }, "\(reportFiles)")))

        let draftPath = dir.file("release.yaml")
        let initResult = runPedigree(["manifest", "init", "--from", auditJSON, "-o", draftPath])
        #expect(initResult.status == 0, "\(initResult.stderr)")
        var draft = try String(contentsOfFile: draftPath, encoding: .utf8)
        // The draft declares the detected base and names each licence asking for a field.
        #expect(draft.contains("bases: [\"illustrious-xl-v0.1\", \"noobai-xl-eps-1.0\"]"), "\(draft)")
        #expect(draft.contains("# share-recipe (noobai-xl-licence, required)"), "\(draft)")
        #expect(draft.contains("# no-commercial-use (noobai-xl-licence, required) needs false"), "\(draft)")
        #expect(draft.contains("licence: null  # TODO (faipl-1.0-sd is not allowed) one of: noobai-xl-licence"), "\(draft)")
        #expect(initResult.stderr.contains("fill in: licence, commercial_use"), "\(initResult.stderr)")
        // Unfilled, the draft is not a manifest yet: loading it points at the first TODO.
        let unfilled = runPedigree(["audit", candidate] + refArgs + ["--release", draftPath, "--no-reports"], environment: environment)
        #expect(unfilled.status == 2)
        #expect(unfilled.stderr.contains("\(draftPath):"), "\(unfilled.stderr)")

        // Fill in the listed fields as a maker would: NoobAI's licence, non-commercial, the links.
        func fill(_ key: String, _ value: String) {
            let lines = draft.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                let trimmed = line.drop { $0 == " " }
                guard trimmed.hasPrefix(key + ":"), line.contains("TODO") else { return String(line) }
                return String(line.prefix(line.count - trimmed.count)) + key + ": " + value
            }
            draft = lines.joined(separator: "\n")
        }
        fill("licence", "noobai-xl-licence")
        fill("commercial_use", "false")
        fill("recipe", "https://example.org/sakura/recipe.md")
        fill("prompts", "https://example.org/sakura/prompts.md")
        fill("workflows", "https://example.org/sakura/workflow.json")
        for flag in ["weights_published", "licence_copy_included", "use_restrictions_passed_on", "changes_stated", "notices_retained"] { fill(flag, "true") }
        let leftOver = draft.split(separator: "\n").filter { !$0.drop { $0 == " " }.hasPrefix("#") && $0.contains("TODO") }
        #expect(leftOver.isEmpty, "\(leftOver)")
        try draft.write(toFile: draftPath, atomically: true, encoding: .utf8)

        let passing = runPedigree(["audit", candidate] + refArgs + ["--release", draftPath, "--no-reports", "--format", "json"], environment: environment)
        #expect(passing.status == 0, "\(passing.stdout)\n\(passing.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(passing.stdout.utf8)) as? [String: Any])
        #expect((json["outcome"] as? [String: Any])?["verdict"] as? String == "pass")
    }

    @Test func manifestInitRefusesWhatIsNotAnAudit() throws {
        let dir = try TemporaryDirectory()
        let bad = try dir.write(Array(#"{"schema": "pedigree.compare/1", "candidate": {"path": "x"}}"#.utf8), to: "compare.json")
        let result = runPedigree(["manifest", "init", "--from", bad])
        #expect(result.status == 2)
        #expect(result.stderr.contains("[AU007]"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test(.heavy) func copiedBinaryAuditsTheDemoFamilyWithTheEmbeddedPolicies() throws {
        let home = try TemporaryDirectory(), work = try TemporaryDirectory()
        let binary = home.file("pedigree")
        try FileManager.default.copyItem(atPath: pedigreeBinaryPath, toPath: binary)
        func run(_ args: [String], _ env: [String: String] = [:]) throws -> ProcessOutcome {
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            environment["PEDIGREE_POLICIES"] = nil
            environment["PEDIGREE_CACHE_DIR"] = Self.family.file("cache")
            environment.merge(env) { $1 }
            // Run from a folder with no Policies/ (cd there first; runProcess has no cwd option).
            return try runProcess("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", work.path, binary] + args, environment: environment)
        }
        let lint = try run(["policy", "lint"])
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(lint.stdout.contains("set: embedded set (sha256:"), "\(lint.stdout)")
        let audit = try run(["audit", Self.family.file("candidate-noob-merge.safetensors"), "--no-reports", "--format", "json"] + refArgs)
        #expect(audit.status == 1, "\(audit.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        #expect((json["inherits_from"] as? [String])?.contains("noobai-xl-eps-1.0") == true)
        let policySet = try #require(json["policy_set"] as? [String: Any])
        #expect(policySet["kind"] as? String == "embedded")
        let folderLint = runPedigree(["policy", "lint"])
        #expect(folderLint.stdout.contains(policySet["digest"] as? String ?? "missing"), "the embedded set is the shipped folder")
        let text = try run(["audit", Self.family.file("candidate-noob-merge.safetensors"), "--no-reports"] + refArgs)
        #expect(text.stdout.contains("policies: embedded set (sha256:"), "\(text.stdout)")
        // PEDIGREE_POLICIES wins over the embedded set, and must exist when set.
        let exported = work.file("exported")
        let export = try run(["policy", "export", exported])
        #expect(export.status == 0, "\(export.stderr)")
        let viaEnv = try run(["policy", "lint"], ["PEDIGREE_POLICIES": exported])
        #expect(viaEnv.stdout.contains("set: folder \(exported)"), "\(viaEnv.stdout)")
        let missing = try run(["policy", "lint"], ["PEDIGREE_POLICIES": work.file("nowhere")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("PEDIGREE_POLICIES"))
        // The exported copy tests green and refuses to be overwritten.
        let tested = try run(["policy", "test", exported])
        #expect(tested.status == 0, "\(tested.stdout)")
        #expect(try run(["policy", "export", exported]).status == 2)
        // With the embedded set, `policy test` runs the embedded cases.
        let embeddedTests = try run(["policy", "test"])
        #expect(embeddedTests.status == 0, "\(embeddedTests.stdout)")
        #expect(embeddedTests.stdout.contains("(embedded)/tests/article.yaml: WAI14"))
    }

    @Test func policyTestIsGreenAndABrokenObligationTurnsItRed() throws {
        let green = runPedigree(["policy", "test", "--format", "json"])
        #expect(green.status == 0, "\(green.stdout)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(green.stdout.utf8)) as? [[String: Any]])
        #expect(results.count >= 16)

        let dir = try TemporaryDirectory()
        let copy = dir.file("Policies")
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: copy)
        let licence = copy + "/licences/noobai-xl-licence.yaml"
        let text = try String(contentsOfFile: licence, encoding: .utf8)
        // Deliberately broken: NoobAI's no-commercial-use obligation now asks for commercial use.
        try text.replacingOccurrences(of: #"met_by: {field: commercial_use, when: "false"}"#, with: #"met_by: {field: commercial_use, when: "true"}"#)
            .write(toFile: licence, atomically: true, encoding: .utf8)
        let red = runPedigree(["policy", "test", copy])
        #expect(red.status == 1)
        #expect(red.stdout.contains("FAIL  \(copy)/tests/obligations.yaml: a NoobAI descendant that meets NoobAI's terms passes"), "\(red.stdout)")
        #expect(red.stdout.contains("unexpected noobai-xl-licence/no-commercial-use"), "\(red.stdout)")
    }

    @Test func lintWarnsAboutStrayFilesAndStrictRefusesScaffolds() throws {
        let dir = try TemporaryDirectory()
        let copy = dir.file("Policies")
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: copy)
        try FileManager.default.copyItem(atPath: copy + "/models/kohaku-xl-beta5.yaml", toPath: copy + "/kohaku.yaml")
        let warned = runPedigree(["policy", "lint", copy])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: \(copy)/kohaku.yaml:1:1: (file): not loaded"), "\(warned.stderr)")
        #expect(warned.stderr.contains("move it to models/kohaku.yaml [PO015]"))
        #expect(runPedigree(["policy", "lint", copy, "--strict"]).status == 2)
        try FileManager.default.removeItem(atPath: copy + "/kohaku.yaml")
        #expect(runPedigree(["policy", "lint", copy, "--strict"]).status == 0)

        let made = runPedigree(["policy", "new", "model", "my-merge-xl", "--parent", "noobai-xl-eps-1.0", "--policies", copy])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: copy + "/models/my-merge-xl.yaml"))
        let lenient = runPedigree(["policy", "lint", copy])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdout.contains("13 models"))
        let strict = runPedigree(["policy", "lint", copy, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("models/my-merge-xl.yaml:") && strict.stderr.contains("[PO016]"), "\(strict.stderr)")
        // Filling every placeholder, on a host the classification lists (PO020), makes it pass.
        let path = copy + "/models/my-merge-xl.yaml"
        let filled = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "https://todo.invalid/", with: "https://huggingface.co/me/my-merge-xl/")
            .replacingOccurrences(of: "TODO name as the publisher writes it", with: "My Merge XL")
            .replacingOccurrences(of: "TODO publisher", with: "Me")
            .replacingOccurrences(of: "\"TODO\"", with: "\"1.0\"")
        try filled.write(toFile: path, atomically: true, encoding: .utf8)
        let clean = runPedigree(["policy", "lint", copy, "--strict"])
        #expect(clean.status == 0, "\(clean.stderr)")
        // A second `new` with the same id is refused.
        #expect(runPedigree(["policy", "new", "model", "my-merge-xl", "--parent", "noobai-xl-eps-1.0", "--policies", copy]).status == 2)
        #expect(runPedigree(["policy", "new", "licence", "my-terms", "--policies", copy, "-o", "-"]).stdout.contains("id: my-terms"))
    }

    @Test func policyDiffShowsAnObligationRemovedPerModel() throws {
        let dir = try TemporaryDirectory()
        let copy = dir.file("Policies")
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: copy)
        let licence = copy + "/licences/noobai-xl-licence.yaml"
        let text = try String(contentsOfFile: licence, encoding: .utf8)
        try text.replacingOccurrences(of: "severity: required\n    quote: \"Share", with: "severity: requested\n    quote: \"Share")
            .write(toFile: licence, atomically: true, encoding: .utf8)
        let diff = runPedigree(["policy", "diff", "Policies", copy])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("noobai-xl-eps-1.0\n  ~ noobai-xl-licence/share-recipe: severity: required → requested"), "\(diff.stdout)")
        let json = runPedigree(["policy", "diff", "Policies", copy, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["obligations"] as? [[String: Any]])?.count == 3, "noobai eps 1.0, eps 1.1 and vpred 1.0")
        #expect(runPedigree(["policy", "diff", "Policies", "Policies"]).stdout.contains("no change"))
    }

    @Test func newSubcommandsHaveHelpWithExamples() {
        for command in [["policy", "new"], ["policy", "test"], ["policy", "diff"], ["policy", "export"], ["manifest"], ["manifest", "init"]] {
            let help = runPedigree(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("EXAMPLES"), "\(command) --help has examples")
        }
    }
}
