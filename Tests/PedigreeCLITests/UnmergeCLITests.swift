import Foundation
import PedigreeTestSupport
import Testing

/// The seed article's un-merge evasion end to end (issue 12): `Scripts/zoo.py` on the
/// un-merge recipes (flat and concentrated spectra of NoobAI's change), each candidate
/// compared against SDXL base, Illustrious 0.1 and NoobAI, classified and scored. A NoobAI
/// fine-tune or a 60% NoobAI merge with a rank-64/128/256 LoRA of NoobAI's change merged at
/// −1 must still be NoobAI's, with its carried share within ±0.1 and LN014; the honest
/// candidates (an Illustrious fine-tune, one trained on NoobAI-like data, a plain merge) must
/// not get LN014.
@Suite(.heavy) struct UnmergeCLITests {
    struct Row: Decodable {
        let candidate: String
        let method: String
        let expected: String
        let verdict: String
        let planted: Double
        let share: Double?
        let subtracted: Bool
        let wholeChangeShare: Double?
        let residualShare: Double?
        let right: Bool
        let problems: [String]
        enum CodingKeys: String, CodingKey {
            case candidate, method, expected, verdict, planted, share, subtracted, right, problems
            case wholeChangeShare = "whole_change_share", residualShare = "residual_share"
        }
    }

    /// With `fingerprints`, the references are fingerprints carrying the spectral sample of
    /// each one's change from its parent: a hub's audit, which must catch the same un-merges.
    @Test(.pythonOracle, arguments: ["unmerge-flat", "unmerge-concentrated"], [false, true])
    func unmergedCandidatesAreStillAttributed(recipe: String, fingerprints: Bool) throws {
        let dir = try TemporaryDirectory()
        let rowsFile = dir.file("rows.json")
        let result = try runPythonScript("Scripts/zoo.py") { _ in
            ["--recipe", "Scripts/recipes/\(recipe).yaml", "--pedigree", pedigreeBinaryPath, "--width-divisor", "32",
             "--family", FamilyCache.family(recipe: "Scripts/recipes/\(recipe).yaml"), "--dir", dir.path, "--json", rowsFile] + (fingerprints ? ["--fingerprints"] : [])
        }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(3000))")
        let rows = try JSONDecoder().decode([Row].self, from: Data(contentsOf: URL(fileURLWithPath: rowsFile)))
        for row in rows where !row.right {
            Issue.record("\(row.candidate) (\(row.method)): \(row.problems.joined(separator: ", ")); verdict \(row.verdict); share \(row.share.map { String($0) } ?? "none") vs planted \(row.planted)")
        }
        let unmerged = rows.filter { $0.method == "unmerge" }
        #expect(unmerged.count == 5)
        for row in unmerged {
            #expect(row.verdict == "NoobAI" && row.subtracted, "\(row.candidate)")
            #expect(abs((row.share ?? -9) - row.planted) <= 0.1, "\(row.candidate): \(row.share ?? -9) vs \(row.planted)")
            // The evasion worked on the whole-change share: that is what the profile corrects.
            #expect((row.wholeChangeShare ?? 9) < row.planted - 0.3, "\(row.candidate): whole-change share \(row.wholeChangeShare ?? 9)")
        }
        for row in rows where row.method != "unmerge" {
            #expect(!row.subtracted, "\(row.candidate) got LN014")
        }
        #expect(rows.contains { $0.candidate == "ill-finetune" } && rows.contains { $0.candidate == "noob-ws-60" })
    }
}
