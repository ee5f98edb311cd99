import Foundation
import PedigreeSupport

/// Reads a compare result written by `pedigree compare --format json` (or written by hand
/// from published figures), with errors that name the file and the offending field.
public enum CompareResultFile {
    public static func load(_ path: String) throws -> CompareResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileAccessError.cannotOpen(path: path, reason: "no such file or not readable")
        }
        return try decode(data, path: path)
    }

    /// Decodes and checks compare-result JSON already in memory; `path` is only used in messages.
    public static func decode(_ data: Data, path: String) throws -> CompareResult {
        let result: CompareResult
        do {
            result = try PedigreeJSON.decoder().decode(CompareResult.self, from: data)
        } catch let error as DecodingError {
            throw ComputeError.unreadableCompareResult(path: path, reason: describe(error))
        } catch {
            throw ComputeError.unreadableCompareResult(path: path, reason: "not JSON (\(error.localizedDescription))")
        }
        guard result.schema.hasPrefix("pedigree.compare/") else {
            throw ComputeError.unreadableCompareResult(path: path, reason: "schema '\(result.schema)' is not pedigree.compare/1")
        }
        guard !result.references.isEmpty else { throw ComputeError.unreadableCompareResult(path: path, reason: "references is empty") }
        for reference in result.references where !(reference.meanCosine.isNaN || (-1.0001 ... 1.0001).contains(reference.meanCosine)) {
            throw ComputeError.unreadableCompareResult(path: path, reason: "references[\(reference.id)].mean_cosine \(reference.meanCosine) is not a cosine in [-1, 1]")
        }
        if let coverage = result.coverage { try check(coverage, path: path) }
        if let attribution = result.attribution { try check(attribution, path: path) }
        return result
    }

    /// Coverage is a claim the file makes about itself; one that could not come from a pass
    /// (a fraction outside [0, 1], a negative count, more compared than expected) is refused
    /// rather than let through the coverage gate.
    static func check(_ coverage: TensorCoverage, path: String) throws {
        func refuse(_ field: String, _ why: String) -> ComputeError {
            .unreadableCompareResult(path: path, reason: "coverage\(field): \(why)")
        }
        let parts = [("", coverage.tensorsCompared, coverage.tensorsExpected, coverage.parameterFraction)]
            + coverage.components.enumerated().map { (".components[\($0.offset)]", $0.element.tensorsCompared, $0.element.tensorsExpected, $0.element.parameterFraction) }
        for (field, compared, expected, fraction) in parts {
            guard (0 ... 1).contains(fraction) else { throw refuse(field + ".parameter_fraction", "\(fraction) is not a fraction in [0, 1]") }
            guard compared >= 0, expected >= 0 else { throw refuse(field, "tensor counts cannot be negative") }
            guard compared <= expected else { throw refuse(field, "\(compared) tensors compared out of \(expected) expected") }
        }
    }

    /// A spectral profile is a claim too: ranks must be distinct whole numbers from 0, shares
    /// finite, and a subtracted rank one of the profile's ranks (it switches the share used).
    static func check(_ attribution: AttributionFigures, path: String) throws {
        for (i, reference) in attribution.references.enumerated() {
            func refuse(_ field: String, _ why: String) -> ComputeError {
                .unreadableCompareResult(path: path, reason: "attribution.references[\(i)]\(field): \(why)")
            }
            if let share = reference.share, !share.isFinite { throw refuse(".share", "\(share) is not a finite number") }
            let profile = reference.spectral ?? []
            var ranks = Set<Int>()
            for (j, entry) in profile.enumerated() {
                guard entry.rank >= 0, entry.rank <= 1 << 20 else { throw refuse(".spectral[\(j)].rank", "\(entry.rank) is not a rank from 0 to 1048576") }
                guard ranks.insert(entry.rank).inserted else { throw refuse(".spectral[\(j)].rank", "rank \(entry.rank) is listed twice") }
                if let share = entry.share, !share.isFinite { throw refuse(".spectral[\(j)].share", "\(share) is not a finite number") }
                if let interval = entry.interval, !(interval.low.isFinite && interval.high.isFinite) {
                    throw refuse(".spectral[\(j)].interval", "bounds must be finite")
                }
            }
            if let rank = reference.subtractedRank {
                guard rank > 0, ranks.contains(rank) else {
                    throw refuse(".subtracted_rank", "\(rank) is not a positive rank of the reference's spectral profile")
                }
            }
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func where_(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\(snake($0.stringValue))" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(where_(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context): return "\(where_(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(where_(context.codingPath)): expected \(type), found null"
        // The decoder quotes the offending value (an unknown `kind`, say): cut and escaped,
        // so a hostile file cannot make the one-line error unbounded or reach the terminal raw.
        case .dataCorrupted(let context): return "\(where_(context.codingPath)): \(TerminalEscaping.excerpt(context.debugDescription, limit: 160))"
        @unknown default: return "\(error)"
        }
    }

    /// Field names as they appear in the file (the decoder converts them to camelCase).
    static func snake(_ name: String) -> String {
        name.reduce(into: "") { out, ch in
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
    }
}
