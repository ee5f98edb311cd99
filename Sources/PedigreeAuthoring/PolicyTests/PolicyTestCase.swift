import Foundation
import PedigreeCompute
import PedigreePolicy
import PedigreeYAML
import Yams

/// One fixture case of `policy test`: compare figures, an optional release manifest, and the
/// outcome the policies must produce. Read from `Policies/tests/*.yaml`:
///
///     baselines:                       # optional, shared by the file's cases
///       - {a: illustrious-xl-v0.1, b: noobai-xl-eps-1.0, mean_cosine: 0.9564}
///     manifests:                       # optional named manifests the cases refer to
///       honest-noob: {name: …, bases: […], …}
///     cases:
///       - name: WAI14
///         references: {illustrious-xl-v0.1: 0.9802, noobai-xl-eps-1.0: 0.9935}
///         # or compare: compare.json   (a `pedigree compare --format json` result, relative to this file)
///         manifest: honest-noob         # a name above, an inline mapping, or a path
///         expect: {likely_base: noobai-xl-eps-1.0, inherits: […], unmet: [licence/obligation], findings: [LN001], exit: 1}
///
/// Every `expect` key is optional; the ones given must match exactly (lists as sets).
public struct PolicyTestCase: Sendable {
    public enum Figures: Sendable {
        case headline(references: [(id: String, meanCosine: Double)], baselines: [Baseline])
        case compareFile(String)
    }

    public enum Manifest: Sendable {
        /// Manifest YAML text and the name errors should use for it.
        case text(String, file: String)
        case path(String)
    }

    public struct Expectation: Sendable, Equatable {
        public var lineage: String?
        /// `.some(nil)` expects no likely base.
        public var likelyBase: String??
        public var borderline: Bool?
        public var inherits: [String]?
        public var unmet: [String]?
        public var unverifiable: [String]?
        public var findings: [String]?
        public var exit: Int32?
    }

    public var file: String
    public var name: String
    public var figures: Figures
    public var manifest: Manifest?
    public var expect: Expectation
    public var location: SourceLocation

    /// Reads every case of one file.
    public static func read(file: String) throws(AuthoringError) -> [PolicyTestCase] {
        switch YAMLDocument.readText(atPath: file) {
        case .failure(let failure):
            throw .testCase(YAMLIssue(.syntax("cannot read: \(failure.reason)"), at: SourceLocation(file: file, line: 1, column: 1), field: "(document)"))
        case .success(let text):
            do { return try parse(text, file: file) } catch { throw .testCase(error) }
        }
    }

    /// Reads every case of a file's text (the embedded set's cases have no file on disk).
    public static func read(text: String, file: String) throws(AuthoringError) -> [PolicyTestCase] {
        do { return try parse(text, file: file) } catch { throw .testCase(error) }
    }

    static func parse(_ text: String, file: String) throws(YAMLIssue) -> [PolicyTestCase] {
        let root = try YAMLDocument.parse(text, file: file).object(allowed: ["baselines", "manifests", "cases"])
        var baselines: [Baseline] = []
        for item in try root.optional("baselines")?.sequence() ?? [] {
            let object = try item.object(allowed: ["a", "b", "mean_cosine"])
            baselines.append(Baseline(a: try object.required("a").nonEmptyString(), b: try object.required("b").nonEmptyString(),
                                      meanCosine: try cosine(object.required("mean_cosine"))))
        }
        var named: [String: YAMLNode] = [:]
        if let manifests = root.optional("manifests") {
            guard case .mapping(let mapping) = manifests.node else {
                throw manifests.issue(.wrongType(expected: "a mapping of name to manifest", found: manifests.typeName))
            }
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                named[name] = YAMLNode(value, file: file, path: "manifests.\(name)")
            }
        }
        let folder = (file as NSString).deletingLastPathComponent
        func relative(_ path: String) -> String { path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path }
        var cases: [PolicyTestCase] = []
        let casesNode = try root.required("cases")
        for item in try casesNode.sequence() {
            let object = try item.object(allowed: ["name", "references", "compare", "manifest", "expect"])
            let name = try object.required("name").nonEmptyString()
            let figures: Figures
            switch (object.optional("references"), object.optional("compare")) {
            case (let refs?, nil):
                guard case .mapping(let mapping) = refs.node, mapping.count > 0 else {
                    throw refs.issue(.wrongType(expected: "a mapping of reference id to mean cosine", found: refs.typeName))
                }
                var references: [(id: String, meanCosine: Double)] = []
                for (key, value) in mapping {
                    let id = key.string ?? ""
                    references.append((id, try cosine(YAMLNode(value, file: file, path: "\(refs.path).\(id)"))))
                }
                figures = .headline(references: references, baselines: baselines)
            case (nil, let compare?):
                figures = .compareFile(relative(try compare.nonEmptyString()))
            default:
                throw item.issue(.invalidValue("give either references (headline figures) or compare (a compare JSON path)"))
            }
            var manifest: Manifest?
            if let node = object.optional("manifest") {
                if case .mapping = node.node {
                    manifest = .text(try serialize(node), file: "\(file) (\(node.path))")
                } else {
                    let reference = try node.nonEmptyString()
                    if let namedNode = named[reference] {
                        manifest = .text(try serialize(namedNode), file: "\(file) (manifests.\(reference))")
                    } else {
                        manifest = .path(relative(reference))
                    }
                }
            }
            cases.append(PolicyTestCase(file: file, name: name, figures: figures, manifest: manifest,
                                        expect: try readExpectation(object.required("expect")), location: item.location))
        }
        return cases
    }

    static func readExpectation(_ node: YAMLNode) throws(YAMLIssue) -> Expectation {
        let object = try node.object(allowed: ["lineage", "likely_base", "borderline", "inherits", "unmet", "unverifiable", "findings", "exit"])
        var expect = Expectation()
        if let lineage = object.optional("lineage") {
            let value = try lineage.nonEmptyString()
            guard ["identified", "unknown"].contains(value) else { throw lineage.issue(.invalidValue("lineage is identified or unknown")) }
            expect.lineage = value
        }
        if object.has("likely_base") { expect.likelyBase = .some(try object.optional("likely_base")?.nonEmptyString()) }
        expect.borderline = try object.optional("borderline")?.bool()
        if object.has("inherits") { expect.inherits = try object.stringList("inherits") }
        if object.has("unmet") { expect.unmet = try object.stringList("unmet") }
        if object.has("unverifiable") { expect.unverifiable = try object.stringList("unverifiable") }
        if object.has("findings") { expect.findings = try object.stringList("findings") }
        if let exitNode = object.optional("exit") {
            let code = try exitNode.int()
            guard [0, 1, 2].contains(code) else { throw exitNode.issue(.invalidValue("exit is 0 (pass), 1 (obligations unmet) or 2 (invalid input)")) }
            expect.exit = Int32(code)
        }
        return expect
    }

    static func cosine(_ node: YAMLNode) throws(YAMLIssue) -> Double {
        let value = try node.double()
        guard value.isFinite, value >= -1, value <= 1 else { throw node.issue(.invalidValue("a cosine lies in [-1, 1]")) }
        return value
    }

    static func serialize(_ node: YAMLNode) throws(YAMLIssue) -> String {
        do { return try Yams.serialize(node: node.node) } catch {
            throw node.issue(.invalidValue("cannot re-read this manifest: \(error)"))
        }
    }
}
