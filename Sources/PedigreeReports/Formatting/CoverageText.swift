import PedigreeCompute
import PedigreeLineage

/// The one sentence every report gives on how much of the model was compared.
enum CoverageText {
    /// e.g. "Compared 2,514 of 2,514 expected tensors (100% of SDXL's parameters): UNet 1,680 of
    /// 1,680, CLIP-L 196 of 196, OpenCLIP-G 518 of 518." nil for published headline numbers.
    static func sentence(_ report: AuditReport) -> String? {
        guard let coverage = report.coverage else { return nil }
        let whose = coverage.basis == "sdxl-layout" ? "SDXL's parameters" : "the candidate's parameters"
        let parts = coverage.components.map { part in
            "\(ReportVocabulary.componentName(part.component)) \(count(part.tensorsCompared)) of \(count(part.tensorsExpected))"
                + (part.tensorsCompared < part.tensorsExpected ? " (\(percent(part.parameterFraction)) of its parameters)" : "")
        }.joined(separator: ", ")
        var text = "Compared \(count(coverage.tensorsCompared)) of \(count(coverage.tensorsExpected)) expected tensors (\(percent(coverage.parameterFraction)) of \(whose)): \(parts)."
        if let scope = report.scope { text += " The release declares its scope as \(scope.joined(separator: ", ")) and is judged on that." }
        return text
    }

    /// 100%, 99.9%, 0.1%: one decimal, none when whole.
    static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths))%" : "\(tenths)%"
    }

    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
