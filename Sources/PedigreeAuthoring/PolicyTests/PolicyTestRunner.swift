import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

/// Runs policy test cases against a policy set through the same `Auditor` that `classify`
/// uses, and says for each whether the outcome is the expected one.
public enum PolicyTestRunner {
    public struct Result: Sendable, Codable, Equatable {
        public var file: String
        public var name: String
        public var passed: Bool
        /// One line per expectation that did not hold: `unmet: expected […], got […]`.
        public var mismatches: [String]
    }

    /// The case files of a tests folder: `*.yaml`, in byte order.
    public static func caseFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    public static func run(_ testCase: PolicyTestCase, policies: PolicySet) -> Result {
        var got = Observed()
        do {
            let compare: CompareResult
            switch testCase.figures {
            case .headline(let references, let baselines):
                compare = .headline(candidate: testCase.name, references: references, baselines: baselines)
            case .compareFile(let path):
                compare = try CompareResultFile.load(path)
            }
            var manifest: ReleaseManifest?
            var manifestPath: String?
            switch testCase.manifest {
            case .text(let text, let file)?: manifest = try ManifestLoader.parse(text, file: file, policies: policies); manifestPath = file
            case .path(let path)?: manifest = try ManifestLoader.load(path: path, policies: policies); manifestPath = path
            case nil: break
            }
            let report = Auditor.audit(.init(compare: compare, policies: policies, manifest: manifest, manifestPath: manifestPath))
            got = Observed(report)
        } catch let error as any PedigreeError {
            got.exit = error.exitStatus.rawValue
            got.error = "[\(error.code)] \(error.message)"
        } catch {
            got.exit = ExitStatus.invalidInput.rawValue
            got.error = "\(error)"
        }
        let mismatches = compare(testCase.expect, got)
        return Result(file: testCase.file, name: testCase.name, passed: mismatches.isEmpty, mismatches: mismatches)
    }

    /// What an audit produced, in the vocabulary of the expectations.
    struct Observed {
        var lineage: String?
        var likelyBase: String?
        var borderline: Bool?
        var inherits: [String] = []
        var unmet: [String] = []
        var unverifiable: [String] = []
        var findings: [String] = []
        var exit: Int32 = 0
        var error: String?

        init() {}

        init(_ report: AuditReport) {
            lineage = report.lineage.status.rawValue
            likelyBase = report.lineage.likelyBase
            borderline = report.lineage.borderline
            inherits = report.inheritsFrom
            unmet = report.obligations.filter { $0.status == .unmet }.map { "\($0.licence)/\($0.id)" }
            unverifiable = report.obligations.filter { $0.status == .unverifiable }.map { "\($0.licence)/\($0.id)" }
            findings = report.findings.map(\.code.rawValue)
            // Policy tests state the exit status `pedigree audit` would give, as the CLI maps it.
            exit = report.outcome.verdict == .pass ? ExitStatus.success.rawValue : ExitStatus.findings.rawValue
        }
    }

    static func compare(_ expect: PolicyTestCase.Expectation, _ got: Observed) -> [String] {
        var mismatches: [String] = []
        if let error = got.error, expect.exit != got.exit {
            return ["exit: expected \(expect.exit.map(String.init) ?? "an audit"), got \(got.exit): \(error)"]
        }
        func check<T: Equatable>(_ name: String, _ expected: T?, _ actual: T?, _ show: (T?) -> String) {
            guard let expected, expected != actual else { return }
            mismatches.append("\(name): expected \(show(expected)), got \(show(actual))")
        }
        func checkSet(_ name: String, _ expected: [String]?, _ actual: [String]) {
            guard let expected else { return }
            let want = Set(expected), have = Set(actual)
            guard want != have else { return }
            var parts: [String] = []
            let missing = want.subtracting(have).sorted(), extra = have.subtracting(want).sorted()
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("unexpected \(extra.joined(separator: ", "))") }
            mismatches.append("\(name): \(parts.joined(separator: "; "))")
        }
        check("exit", expect.exit, got.exit) { $0.map(String.init) ?? "none" }
        if got.error != nil { return mismatches }
        check("lineage", expect.lineage, got.lineage) { $0 ?? "none" }
        if let expected = expect.likelyBase, expected != got.likelyBase {
            mismatches.append("likely_base: expected \(expected ?? "none"), got \(got.likelyBase ?? "none")")
        }
        check("borderline", expect.borderline, got.borderline) { $0.map { "\($0)" } ?? "none" }
        checkSet("inherits", expect.inherits, got.inherits)
        checkSet("unmet", expect.unmet, got.unmet)
        checkSet("unverifiable", expect.unverifiable, got.unverifiable)
        checkSet("findings", expect.findings, got.findings)
        return mismatches
    }
}
