import PedigreeSupport

/// A model card `pedigree card` will not edit, because doing so could lose or garble what
/// its author wrote. Each names the file and the line.
public enum CardError: PedigreeError, Equatable {
    case notUTF8(path: String)
    case tooLarge(path: String, limit: Int)
    case unclosedFrontMatter(path: String, line: Int)
    case invalidYAML(path: String, line: Int, column: Int, field: String, rule: String)
    case notAMapping(path: String, line: Int)
    case unsupportedLayout(path: String, line: Int, reason: String)
    case wrongType(path: String, line: Int, key: String, expected: String)
    case markers(path: String, line: Int, reason: String)
    case mergeBroke(path: String, reason: String)

    public var code: String {
        switch self {
        case .notUTF8: "MC001"
        case .tooLarge: "MC002"
        case .unclosedFrontMatter: "MC003"
        case .invalidYAML: "MC004"
        case .notAMapping: "MC005"
        case .unsupportedLayout: "MC006"
        case .wrongType: "MC007"
        case .markers: "MC008"
        case .mergeBroke: "MC009"
        }
    }

    public var message: String {
        switch self {
        case .notUTF8(let path): "\(path): not valid UTF-8; a model card must be UTF-8 text"
        case .tooLarge(let path, let limit): "\(path): larger than \(limit >> 20) MB, which no model card is"
        case .unclosedFrontMatter(let path, let line):
            "\(path):\(line): front matter opened with '---' is never closed by a '---' line"
        case .invalidYAML(let path, let line, let column, let field, let rule): "\(path):\(line):\(column): \(field): \(rule)"
        case .notAMapping(let path, let line): "\(path):\(line): front matter must be a mapping of keys to values"
        case .unsupportedLayout(let path, let line, let reason): "\(path):\(line): \(reason); edit the front matter by hand or rewrite it in block style"
        case .wrongType(let path, let line, let key, let expected): "\(path):\(line): \(key): expected \(expected)"
        case .markers(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .mergeBroke(let path, let reason): "\(path): merging would break the front matter (\(reason)); nothing written"
        }
    }
}
