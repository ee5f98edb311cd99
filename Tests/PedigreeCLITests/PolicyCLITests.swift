import Foundation
import PedigreeTestSupport
import Testing

/// Runs the built binary (`swift build` first) end to end.
@Suite struct PolicyCLITests {
    @Test func showNoobaiListsRecipeSharingFromItsLicence() throws {
        let result = runPedigree(["policy", "show", "noobai-xl-eps-1.0"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("- share-recipe [required] from noobai-xl-licence"))
        #expect(result.stdout.contains("via: noobai-xl-eps-1.0 → illustrious-xl-v0.1 → licence illustrious-xl-v0.1-terms"))
        #expect(result.stdout.contains("from faipl-1.0-sd"))
    }

    @Test func showFindsLicencesAsWellAsModels() throws {
        let result = runPedigree(["policy", "show", "noobai-xl-licence"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("noobai-xl-licence: "), "\(result.stdout)")
        #expect(result.stdout.contains("extends: faipl-1.0-sd"))
        #expect(result.stdout.contains("- share-recipe [required]"))
        #expect(result.stdout.contains("from faipl-1.0-sd"), "obligations of the licence it extends are shown")
        #expect(result.stdout.contains("MODELS UNDER IT: ") && result.stdout.contains("noobai-xl-eps-1.0"))
        let json = runPedigree(["policy", "show", "faipl-1.0-sd", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["licence"] as? [String: Any])?["id"] as? String == "faipl-1.0-sd")
        let unknown = runPedigree(["policy", "show", "noobai-xl-licenc"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no base model or licence with id 'noobai-xl-licenc'") && unknown.stderr.contains("did you mean 'noobai-xl-licence'? [PO014]"), "\(unknown.stderr)")
    }

    @Test func lintShippedSetAndUnknownModel() throws {
        let lint = runPedigree(["policy", "lint"])
        #expect(lint.status == 0)
        #expect(lint.stdout.hasPrefix("ok: 6 licences, 12 models\n"), "\(lint.stdout)")
        #expect(lint.stdout.contains("set: folder Policies (sha256:"))
        let unknown = runPedigree(["policy", "show", "noobai-xl-eps-1.2"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'noobai-xl-eps-1.0'? [PO014]"))
    }

    @Test func lintWarnsOnAMirrorHostAndRefusesAMisnamedFile() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-cli-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: packageRoot().appendingPathComponent("Policies").path, toPath: copy)
        let path = copy + "/models/noobai-xl-eps-1.0.yaml"
        let yaml = try String(contentsOfFile: path, encoding: .utf8)
        try yaml.replacingOccurrences(of: "source: https://huggingface.co/Laxhar/noobai-XL-1.0/blob/66a55c5491581fb0f12e52b3e2d386afe4308a05/README.md",
                                      with: "source: https://hf-proxy.robus.us.kg/Laxhar/noobai-XL-1.0/resolve/66a55c5491581fb0f12e52b3e2d386afe4308a05/README.md")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let warned = runPedigree(["policy", "lint", copy])
        #expect(warned.status == 0, "a warning: \(warned.stderr)")
        #expect(warned.stderr.contains("models/noobai-xl-eps-1.0.yaml:7:9: source: 'https://hf-proxy.robus.us.kg/") && warned.stderr.contains("is on host 'hf-proxy.robus.us.kg'") && warned.stderr.contains("[PO020]"), "\(warned.stderr)")
        #expect(runPedigree(["policy", "lint", copy, "--strict"]).status == 2)
        try FileManager.default.moveItem(atPath: copy + "/models/kohaku-xl-beta5.yaml", toPath: copy + "/models/kohaku.yaml")
        let misnamed = runPedigree(["policy", "lint", copy])
        #expect(misnamed.status == 2)
        #expect(misnamed.stderr.contains("models/kohaku.yaml:") && misnamed.stderr.contains("rename it to models/kohaku-xl-beta5.yaml [PO017]"), "\(misnamed.stderr)")
    }

    @Test func lintReportsFileLineColumnAndExits2() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("licences"), withIntermediateDirectories: true)
        try "id: x\nnmae: y\n".write(to: folder.appendingPathComponent("models/x.yaml"), atomically: true, encoding: .utf8)
        let result = runPedigree(["policy", "lint", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("models/x.yaml:2:1: nmae: unknown field; did you mean 'name'? [PO003]"))
    }
}
