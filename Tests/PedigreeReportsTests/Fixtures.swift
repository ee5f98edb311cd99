import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

/// The reports every renderer test works from, made the way `pedigree audit` makes them:
/// the real `Auditor`, the shipped (embedded) policies and ordinary release manifests, over
/// compare results that `pedigree compare` wrote for the demo family (width ÷32) and that
/// are kept in `AuditInputs/`. Freezing the compare results, not the reports, keeps the
/// snapshots independent of floating-point details while every change to the classifier,
/// the policies or a renderer shows in them.
///
/// - `noob-merge`: 60% of NoobAI's change sold as an Illustrious fine-tune (FAIL, exit 1);
/// - `clean-finetune`: an honest Illustrious fine-tune audited against fingerprints, so
///   sampled figures with intervals (PASS);
/// - `unknown-lineage`: a model far from every reference, no manifest (FAIL, exit 1).
///
/// To regenerate the inputs: `pedigree synth Scripts/recipes/demo-family.yaml --out F
/// --width-divisor 32`, then `pedigree compare` each candidate against the four references
/// (fingerprints for the fine-tune) with `--format json`, file names only.
enum Fixtures {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("AuditInputs")

    static let policies: PolicySet = {
        switch PolicyLoader.loadEmbedded() {
        case .success(let set): return set
        case .failure(let problems): fatalError("the embedded policies must load: \(problems)")
        }
    }()

    /// A fixed tool stamp, so snapshots do not change when the version is bumped (its
    /// initialiser is internal to PedigreeSupport: decoded, as a report file would be).
    static let tool: ToolStamp = {
        do { return try PedigreeJSON.decoder().decode(ToolStamp.self, from: Data(#"{"name":"pedigree","version":"0.1.0"}"#.utf8)) } catch {
            fatalError("tool stamp: \(error)")
        }
    }()

    static func audit(_ name: String, manifest: Bool) -> AuditReport {
        do {
            let compare = try CompareResultFile.load(inputs.appendingPathComponent("\(name).compare.json").path)
            let manifestFile = "\(name).manifest.yaml"
            let release = try manifest
                ? ManifestLoader.load(path: inputs.appendingPathComponent(manifestFile).path, policies: policies) : nil
            var report = Auditor.audit(.init(compare: compare, policies: policies, manifest: release,
                                             manifestPath: manifest ? manifestFile : nil))
            report.tool = tool
            return report
        } catch {
            fatalError("fixture \(name) does not audit: \(error)")
        }
    }

    static let noobMergeSoldAsIllustrious = audit("noob-merge", manifest: true)
    static let cleanIllustriousFinetune = audit("clean-finetune", manifest: true)
    static let unknownLineage = audit("unknown-lineage", manifest: false)

    static var all: [(name: String, report: AuditReport)] {
        [("noob-merge", noobMergeSoldAsIllustrious), ("clean-finetune", cleanIllustriousFinetune), ("unknown-lineage", unknownLineage)]
    }

    /// The merge fixture with hostile strings everywhere a person can type one.
    static var hostile: AuditReport {
        var report = noobMergeSoldAsIllustrious
        let nasty = "Evil | <script>alert(\"x\")</script> & 'quoted' *bold* [link](http://x)"
        report.release?.name = nasty
        report.lineage.summary = "Merge of A | B <img src=x onerror=alert(1)> & more"
        report.obligations[0].reason = "reason with | pipe and <b>tags</b> & \"quotes\"\nand a newline"
        report.findings[0].message = "# not a heading | <script>bad()</script>"
        report.references[0].name = "Noob | <svg onload=alert(1)>"
        report.modelCard.licenseName = "name: \"quoted\" | <script> & 'single' #hash\nsecond line"
        report.modelCard.baseModel = ["org/model: with colon", "- dash", "yes", "1.0"]
        return report
    }
}
