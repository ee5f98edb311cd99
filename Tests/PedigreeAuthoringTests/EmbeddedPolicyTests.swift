import Foundation
import PedigreePolicy
import PedigreeTestSupport
import Testing

/// The embedded copy of Policies/ is generated (Scripts/embed-policies.sh) and committed; these
/// tests fail when it is stale, and pin down the digest that names a set in every report.
@Suite struct EmbeddedPolicyTests {
    static let policies = packageRoot().appendingPathComponent("Policies").path

    /// Every text file under Policies/ the generator embeds, by relative path.
    static func filesOnDisk() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let walker = try #require(FileManager.default.enumerator(atPath: policies))
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if relative == "fingerprints" || name.hasPrefix(".") { walker.skipDescendants(); continue }
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: policies + "/" + relative, isDirectory: &isFolder)
            if !isFolder.boolValue { result[relative] = FileManager.default.contents(atPath: policies + "/" + relative) }
        }
        return result
    }

    @Test func embeddedFilesMatchPoliciesFolder() throws {
        let disk = try Self.filesOnDisk()
        let embedded = Dictionary(EmbeddedPolicyFiles.all.map { ($0.path, Data($0.text.utf8)) }, uniquingKeysWith: { a, _ in a })
        let stale = "run Scripts/embed-policies.sh and commit Sources/PedigreePolicy/Embedded/EmbeddedPolicyFiles.swift"
        #expect(Set(disk.keys) == Set(embedded.keys), "file lists differ; \(stale)")
        for (path, bytes) in disk { #expect(embedded[path] == bytes, "\(path) differs; \(stale)") }
    }

    @Test func embeddedSetLoadsWithTheFolderDigest() throws {
        guard case .success(let embedded) = PolicyLoader.loadEmbedded(), case .success(let folder) = PolicyLoader.load(folder: Self.policies) else {
            Issue.record("both sets must load"); return
        }
        #expect(embedded.identity?.kind == .embedded)
        #expect(folder.identity?.kind == .folder)
        #expect(embedded.identity?.digest == folder.identity?.digest)
        #expect(embedded.models.map(\.id) == folder.models.map(\.id))
        #expect(embedded.licences.map(\.id) == folder.licences.map(\.id))
        #expect(embedded.licences.map(\.obligations.count) == folder.licences.map(\.obligations.count))
        #expect(embedded.classification.bands == folder.classification.bands)
        #expect(embedded.licences.first?.location.file.hasPrefix(PolicyFiles.embeddedRoot + "/licences/") == true,
                "errors in the embedded set name it as (embedded)/…")
    }

    @Test(.pythonOracle) func digestIsSHA256OverSortedPathsAndBytes() throws {
        // Independent recomputation with the documented framing: path NUL length NUL bytes.
        let files = ["models/b.yaml": Data("b".utf8), "licences/a.yaml": Data("aa".utf8)]
        let script = """
        import hashlib, sys
        h = hashlib.sha256()
        for path, body in sorted([("models/b.yaml", b"b"), ("licences/a.yaml", b"aa")], key=lambda p: p[0].encode()):
            h.update(path.encode() + b"\\0" + str(len(body)).encode() + b"\\0" + body)
        print(h.hexdigest())
        """
        let python = try runPython(script: script)
        #expect(python.status == 0, "\(python.stderr)")
        #expect(PolicySetDigest(files).hex == python.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        // Framing: moving a byte between path and content changes the digest.
        #expect(PolicySetDigest(["ab": Data("c".utf8)]) != PolicySetDigest(["a": Data("bc".utf8)]))
    }

    @Test func digestCoversPolicyFilesOnly() throws {
        let copy = try ShippedCopy()
        let before = try copy.load().identity?.digest
        try copy.edit("README.md", "# Policies", "# Policies (edited)")
        try copy.write("tests/extra.yaml", "cases: []\n")
        #expect(try copy.load().identity?.digest == before, "README and test cases do not change a verdict")
        try copy.edit("classification.yaml", "borderline_margin: 0.005", "borderline_margin: 0.006")
        #expect(try copy.load().identity?.digest != before)
    }
}
