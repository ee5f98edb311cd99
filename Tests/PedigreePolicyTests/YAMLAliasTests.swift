import Foundation
import PedigreeYAML
import Testing
@testable import PedigreePolicy

/// Aliases are refused before composing: nine lines of nested aliases stand for 10^9 nodes,
/// and one of them used as a mapping key hung `classify --release` in Yams's duplicate-key
/// hashing (found while fuzzing issue 11's manifest harness by hand).
@Suite struct YAMLAliasTests {
    static func bomb(levels: Int) -> String {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1 ... levels { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        return (["name: m"] + lines + ["? *a\(levels)", ": 1", ""]).joined(separator: "\n")
    }

    @Test func anAliasBombIsALocatedErrorAtOnce() throws {
        let set = try PolicyLoader.load(folder: shippedPoliciesFolder()).get()
        let start = Date()
        #expect {
            try ManifestLoader.parse(Self.bomb(levels: 8), file: "release.yaml", policies: set)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.code == "MF001" && error.message.hasPrefix("release.yaml:3:10: ") && error.message.contains("aliases")
        }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func everyAliasIsRefusedAnchorsAloneAndLookalikesAreNot() throws {
        #expect(throws: YAMLIssue.self) { try YAMLDocument.parse("a: &x [1, 2]\nb: *x\n", file: "f.yaml") }
        do {
            _ = try YAMLDocument.parse("a: [1, 2]\nb: [*x]\n", file: "f.yaml")
            Issue.record("an alias was accepted")
        } catch {
            #expect(error.location.line == 2 && error.location.column == 5, "\(error)")
        }
        // An anchor without an alias, and `*`/`&` inside scalars, quotes and block text, are fine.
        let fine = "a: &x [1, 2]\nb: 'x *y &z'\nc: \"*q\"\nd: |\n  * a bullet\n  & more\ne: a*b\n"
        let root = try YAMLDocument.parse(fine, file: "f.yaml")
        #expect(root.isNull == false)
    }
}
