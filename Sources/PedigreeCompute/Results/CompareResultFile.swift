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
        return result
    }

    static func describe(_ error: DecodingError) -> String {
        func where_(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\(snake($0.stringValue))" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(where_(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context): return "\(where_(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(where_(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context): return "\(where_(context.codingPath)): \(context.debugDescription)"
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
