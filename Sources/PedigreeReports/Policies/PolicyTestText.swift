import PedigreeAuthoring
import PedigreePolicy

/// The text rendering of `policy test`: one line per case, its mismatches under it, then the tally.
public enum PolicyTestText {
    public static func render(_ results: [PolicyTestRunner.Result], identity: PolicySetIdentity?) -> String {
        var lines: [String] = []
        for result in results {
            lines.append((result.passed ? "ok    " : "FAIL  ") + "\(result.file): \(result.name)")
            lines += result.mismatches.map { "        " + $0 }
        }
        let failed = results.filter { !$0.passed }.count
        lines.append("\(results.count - failed) passed, \(failed) failed" + (identity.map { " — policies: \($0.summary)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
