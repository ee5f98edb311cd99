import Foundation
import PedigreePolicy
import PedigreeTestSupport
import Testing

/// The policy-set digest, against an independent implementation of its definition in
/// Python's hashlib: SHA-256 over each YAML file's `relative-path NUL length NUL bytes`,
/// files sorted by path bytes.
@Suite struct PolicySetDigestTests {
    func makeSet() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("licences"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("models"), withIntermediateDirectories: true)
        try dir.write(Array("id: a\n".utf8), to: "licences/a.yaml")
        try dir.write(Array("id: m\nname: Ü\n".utf8), to: "models/m.yaml")
        try dir.write(Array("bands: {}\n".utf8), to: "classification.yaml")
        try dir.write([0, 1, 2], to: "fingerprints-readme.txt")
        return dir
    }

    @Test func matchesAnIndependentImplementation() throws {
        let dir = try makeSet()
        let script = """
        import hashlib, os, sys
        root = sys.argv[1]
        files = []
        for d, _, names in os.walk(root):
            for n in names:
                if n.lower().endswith((".yaml", ".yml")):
                    files.append(os.path.relpath(os.path.join(d, n), root))
        h = hashlib.sha256()
        for rel in sorted(files, key=lambda p: p.encode()):
            data = open(os.path.join(root, rel), "rb").read()
            h.update(rel.encode() + b"\\0" + str(len(data)).encode() + b"\\0" + data)
        print(h.hexdigest())
        """
        let python = runPython(script: script, arguments: [dir.path])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(try PolicySetDigest.digest(folder: dir.path) == python.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func changesWithBytesAndNamesOnly() throws {
        let dir = try makeSet()
        let original = try PolicySetDigest.digest(folder: dir.path)
        #expect(try PolicySetDigest.digest(folder: dir.path) == original)
        try dir.write([9, 9], to: "fingerprints-readme.txt")
        #expect(try PolicySetDigest.digest(folder: dir.path) == original)
        try dir.write(Array("id: a\n# edited\n".utf8), to: "licences/a.yaml")
        let edited = try PolicySetDigest.digest(folder: dir.path)
        #expect(edited != original)
        try FileManager.default.moveItem(atPath: dir.file("licences/a.yaml"), toPath: dir.file("licences/b.yaml"))
        #expect(try PolicySetDigest.digest(folder: dir.path) != edited)
    }
}
