import PedigreeCompute
import PedigreeLineage

/// The one sentence every report gives on how much of the model was compared.
enum CoverageText {
    /// e.g. "Compared 2,514 of 2,514 expected tensors (100.0% of SDXL's parameters): UNet 1,680 of
    /// 1,680, CLIP-L 196 of 196, OpenCLIP-G 518 of 518." nil for published headline numbers.
    static func sentence(_ report: AuditReport) -> String? {
        guard let coverage = report.coverage else { return nil }
        let whose = coverage.basis == "sdxl-layout" ? "SDXL's parameters" : "the candidate's parameters"
        let parts = coverage.components.map { part in
            "\(ReportVocabulary.componentName(part.component)) \(ReportNumbers.count(part.tensorsCompared)) of \(ReportNumbers.count(part.tensorsExpected))"
                + (part.tensorsCompared < part.tensorsExpected ? " (\(ReportNumbers.percent(part.parameterFraction)) of its parameters)" : "")
        }.joined(separator: ", ")
        var text = "Compared \(ReportNumbers.count(coverage.tensorsCompared)) of \(ReportNumbers.count(coverage.tensorsExpected)) expected tensors (\(ReportNumbers.percent(coverage.parameterFraction)) of \(whose)): \(parts)."
        if let scope = report.scope { text += " The release declares its scope as \(scope.joined(separator: ", ")) and is judged on that." }
        return text
    }
}
