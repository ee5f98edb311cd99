import Foundation
import PedigreeLineage
import PedigreeReports
import PedigreeSupport
import Testing

/// Model ids are data, not field names: the snake_case key strategies must not rewrite them
/// where they are dictionary keys (lineage shares, evidence figures).
@Suite("JSON keys")
struct JSONKeyTests {
    @Test func modelIdsUsedAsKeysAreWrittenUnchanged() throws {
        var report = Fixtures.noobMergeSoldAsIllustrious
        report.lineage.shares = ["NoobAI-XL_eps": 0.5]
        let text = JSONReportRenderer().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let lineage = try #require(object["lineage"] as? [String: Any])
        let shares = try #require(lineage["shares"] as? [String: Any])
        #expect(shares.keys.sorted() == ["NoobAI-XL_eps"])
    }

    @Test func modelIdsUsedAsKeysReadBackUnchanged() throws {
        var report = Fixtures.noobMergeSoldAsIllustrious
        report.lineage.shares = ["noobai_xl_eps": 0.5]
        let decoded = try PedigreeJSON.decoder().decode(AuditReport.self, from: Data(JSONReportRenderer().render(report).utf8))
        #expect(decoded.lineage.shares.keys.sorted() == ["noobai_xl_eps"])
    }
}
