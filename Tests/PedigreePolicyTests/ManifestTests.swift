import Foundation
import PedigreeYAML
import Testing
@testable import PedigreePolicy

/// Release manifests are validated as strictly as policy files.
@Suite struct ManifestTests {
    let set: PolicySet

    init() throws {
        set = try PolicyLoader.load(folder: shippedPoliciesFolder()).get()
    }

    static let good = """
        name: Test Merge
        version: "1.0"
        file: out/test.safetensors
        bases: [noobai-xl-eps-1.0]
        licence: noobai-xl-licence
        commercial_use: false
        weights_published: true
        licence_copy_included: true
        use_restrictions_passed_on: true
        disclosures:
          recipe: https://example.org/recipe
          loras: [https://example.org/lora]

        """

    @Test func shippedExampleIsValid() throws {
        let manifest = try ManifestLoader.load(path: shippedPoliciesFolder() + "/examples/release.yaml", policies: set)
        #expect(manifest.bases == ["noobai-xl-eps-1.0", "illustrious-xl-v0.1"])
        #expect(manifest.licence.id == "noobai-xl-licence")
        #expect(manifest.disclosures.value(for: .recipe) != nil)
        #expect(manifest.flag(.commercialUse) == false)
    }

    @Test func goodManifest() throws {
        let manifest = try ManifestLoader.parse(Self.good, file: "release.yaml", policies: set)
        #expect(manifest.name == "Test Merge")
        #expect(manifest.disclosures.loras == ["https://example.org/lora"])
        #expect(manifest.changesStated == nil)
    }

    @Test func huggingFaceLicenceResolvesToTheBaseLicence() throws {
        let text = Self.good.replacingOccurrences(
            of: "licence: noobai-xl-licence",
            with: "licence: {huggingface: {license: other, license_name: fair-ai-public-license-1.0-sd}}")
        let manifest = try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        #expect(manifest.licence.id == "faipl-1.0-sd")
    }

    @Test func unknownFieldWithDidYouMean() {
        let text = Self.good.replacingOccurrences(of: "licence: noobai", with: "license: noobai")
        #expect {
            try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.code == "MF003"
                && error.message == "release.yaml:5:1: license: unknown field; did you mean 'licence'?"
        }
    }

    @Test func wrongType() {
        let text = Self.good.replacingOccurrences(of: "commercial_use: false", with: "commercial_use: maybe")
        #expect {
            try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.code == "MF004"
                && error.message == "release.yaml:6:17: commercial_use: expected a boolean (true or false), found a string"
        }
    }

    @Test func missingField() {
        let text = Self.good.replacingOccurrences(of: "weights_published: true\n", with: "")
        #expect(throws: ManifestError.yaml(YAMLIssue(.missingField, at: PedigreeYAML.SourceLocation(file: "release.yaml", line: 1, column: 1),
                                                     field: "weights_published"))) {
            try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        }
    }

    @Test func badLicenceReference() {
        let text = Self.good.replacingOccurrences(of: "licence: noobai-xl-licence", with: "licence: noobai-xl-licenc")
        #expect(throws: ManifestError.unknownLicence(name: "noobai-xl-licenc", field: "licence",
                                                     at: PedigreeYAML.SourceLocation(file: "release.yaml", line: 5, column: 10),
                                                     suggestion: "noobai-xl-licence")) {
            try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        }
        #expect(ManifestError.unknownLicence(name: "x", field: "licence", at: PedigreeYAML.SourceLocation(file: "f", line: 1, column: 1),
                                             suggestion: nil).code == "MF009")
    }

    @Test func badBaseReference() {
        let text = Self.good.replacingOccurrences(of: "bases: [noobai-xl-eps-1.0]", with: "bases: [noobai-xl-eps-1.2]")
        #expect {
            try ManifestLoader.parse(text, file: "release.yaml", policies: set)
        } throws: { error in
            (error as? ManifestError)?.code == "MF008" && "\(error)".contains("release.yaml:4:9: bases[0]")
        }
    }
}

/// The manifest belongs to the file it describes, and a disclosure is one only when it is.
@Suite struct ManifestOwnershipTests {
    let set: PolicySet

    init() throws {
        set = try PolicyLoader.load(folder: shippedPoliciesFolder()).get()
    }

    @Test func fileIsMatchedByNameAndDigestByValue() throws {
        let digest = String(repeating: "0f", count: 32)
        let manifest = try ManifestLoader.parse(ManifestTests.good + "sha256: \(digest.uppercased())\n", file: "release.yaml", policies: set)
        #expect(manifest.sha256 == digest, "stored lower-case")
        try ManifestLoader.checkNames(manifest, candidatePath: "/elsewhere/test.safetensors", manifestPath: "release.yaml")
        #expect(throws: ManifestError.self) { try ManifestLoader.checkNames(manifest, candidatePath: "other.safetensors", manifestPath: "release.yaml") }
        do {
            try ManifestLoader.checkNames(manifest, candidatePath: "other.safetensors", manifestPath: "release.yaml")
        } catch {
            #expect(error.code == "MF011")
            #expect(error.message == "release.yaml:3:7: file: the manifest is for 'out/test.safetensors', but the checkpoint audited is 'other.safetensors'; audit the file the manifest describes, or fix `file`")
        }
        try ManifestLoader.checkDigest(manifest, candidateSHA256: digest)
        #expect(throws: ManifestError.self) { try ManifestLoader.checkDigest(manifest, candidateSHA256: String(repeating: "1", count: 64)) }
    }

    @Test func aMalformedDigestIsALocatedError() {
        do {
            _ = try ManifestLoader.parse(ManifestTests.good + "sha256: abc\n", file: "release.yaml", policies: set)
            Issue.record("accepted a 3-digit sha256")
        } catch {
            #expect(error.code == "MF006")
            #expect(error.message.contains("sha256"))
        }
    }

    @Test func aScopeNamesEachComponentOnce() {
        #expect(throws: ManifestError.self) { try ManifestLoader.parse(ManifestTests.good + "scope: [unet, unet]\n", file: "release.yaml", policies: set) }
        #expect(throws: ManifestError.self) { try ManifestLoader.parse(ManifestTests.good + "scope: [unet, text]\n", file: "release.yaml", policies: set) }
        #expect((try? ManifestLoader.parse(ManifestTests.good + "scope: [unet]\n", file: "release.yaml", policies: set))?.scope == ["unet"])
    }

    @Test(arguments: ["", "  ", "TODO", "todo", "TBD", "N/A", "none", "…", "FIXME"])
    func placeholdersAreNotDisclosures(value: String) {
        #expect(DisclosureCheck.problem(value, manifestDirectory: "/nonexistent") != nil)
    }

    @Test func urlsMustBeWellFormedAndPathsMustExist() throws {
        #expect(DisclosureCheck.problem("https://civitai.com/models/1/recipe", manifestDirectory: nil) == nil)
        #expect(DisclosureCheck.problem("htp://x", manifestDirectory: nil) != nil)
        #expect(DisclosureCheck.problem("https://", manifestDirectory: nil) != nil)
        let folder = NSTemporaryDirectory() + "pedigree-disclosure-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "steps".write(toFile: folder + "/recipe.md", atomically: true, encoding: .utf8)
        #expect(DisclosureCheck.problem("recipe.md", manifestDirectory: folder) == nil)
        #expect(DisclosureCheck.problem("missing.md", manifestDirectory: folder)?.contains("neither a URL nor a file") == true)
    }
}
