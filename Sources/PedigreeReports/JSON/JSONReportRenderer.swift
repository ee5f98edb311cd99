import PedigreeCompute
import PedigreeLineage
import PedigreeSupport

/// The machine-readable report: `pedigree.audit/2` in Pedigree's JSON conventions
/// (snake_case, sorted keys, pretty-printed, trailing newline). `SCHEMA.md` documents it.
///
/// Shares (the lineage's and the delta measures') are rounded to three decimals: they are
/// estimates, and more digits would only make diffs between runs noisy. Cosines keep full
/// precision because scripts compare them against thresholds.
public struct JSONReportRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: AuditReport) -> String {
        do {
            return try renderThrowing(report)
        } catch {
            // Unreachable with Pedigree's encoder (non-finite numbers become strings), but a
            // renderer returns text, so say what went wrong in JSON rather than crash.
            return "{\n  \"error\" : \"cannot encode the audit report: \(String(describing: error).replacingOccurrences(of: "\"", with: "'"))\"\n}\n"
        }
    }

    public func renderThrowing(_ report: AuditReport) throws -> String {
        try PedigreeJSON.string(Self.roundingShares(report))
    }

    static func roundingShares(_ report: AuditReport) -> AuditReport {
        var copy = report
        copy.lineage.shares = copy.lineage.shares.mapValues(threeDecimals)
        for r in copy.references.indices {
            for d in copy.references[r].deltas.indices {
                copy.references[r].deltas[d].share = threeDecimals(copy.references[r].deltas[d].share)
                for p in copy.references[r].deltas[d].components.indices {
                    copy.references[r].deltas[d].components[p].share = threeDecimals(copy.references[r].deltas[d].components[p].share)
                }
                for p in copy.references[r].deltas[d].blocks.indices {
                    copy.references[r].deltas[d].blocks[p].share = threeDecimals(copy.references[r].deltas[d].blocks[p].share)
                }
            }
        }
        return copy
    }

    static func threeDecimals(_ value: Double) -> Double {
        value.isFinite ? (value * 1000).rounded() / 1000 : value
    }
}
