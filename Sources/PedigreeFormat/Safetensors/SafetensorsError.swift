import PedigreeSupport

/// Every way a file can fail to be a valid safetensors checkpoint. Messages name the file,
/// the tensor where there is one, and the rule broken, e.g.
/// `model.safetensors: tensor 'x.weight': data_offsets span 10 bytes but F16 [3, 2] needs 12`.
public enum SafetensorsError: PedigreeError, Equatable {
    case fileTooSmall(path: String, size: Int64)
    case headerTooLarge(path: String, length: UInt64)
    case headerBeyondFile(path: String, length: UInt64, fileSize: Int64)
    case headerNotUTF8(path: String)
    case headerNotObject(path: String)
    case headerJSON(path: String, offset: Int, reason: String)
    case duplicateTensor(path: String, name: String)
    case metadataNotStringMap(path: String, key: String?)
    case tensorEntryNotObject(path: String, name: String)
    case missingField(path: String, name: String, field: String)
    case unknownDType(path: String, name: String, dtype: String)
    case badShape(path: String, name: String, reason: String)
    case badOffsets(path: String, name: String, reason: String)
    case sizeOverflow(path: String, name: String)
    case partialByte(path: String, name: String, dtype: DType, elements: Int)
    case spanMismatch(path: String, name: String, span: Int, type: String, needed: Int)
    case gap(path: String, name: String, expectedStart: Int, actualStart: Int)
    case overlap(path: String, name: String, previous: String)
    case dataSizeMismatch(path: String, covered: Int, available: Int64)
    case pickle(path: String, reason: String)
    case notFound(path: String, name: String)
    case notConvertible(path: String, name: String, dtype: DType)
    case duplicateField(path: String, name: String, field: String)
    case duplicateMetadataKey(path: String, key: String)

    public var code: String {
        switch self {
        case .fileTooSmall: "ST001"
        case .headerTooLarge: "ST002"
        case .headerBeyondFile: "ST003"
        case .headerNotUTF8: "ST004"
        case .headerNotObject: "ST005"
        case .headerJSON: "ST006"
        case .duplicateTensor: "ST007"
        case .metadataNotStringMap: "ST008"
        case .tensorEntryNotObject: "ST009"
        case .missingField: "ST010"
        case .unknownDType: "ST011"
        case .badShape: "ST012"
        case .badOffsets: "ST013"
        case .sizeOverflow: "ST014"
        case .partialByte: "ST015"
        case .spanMismatch: "ST016"
        case .gap: "ST017"
        case .overlap: "ST018"
        case .dataSizeMismatch: "ST019"
        case .pickle: "ST020"
        case .notFound: "ST021"
        case .notConvertible: "ST022"
        case .duplicateField: "ST023"
        case .duplicateMetadataKey: "ST024"
        }
    }

    public var message: String {
        switch self {
        case .fileTooSmall(let p, let size):
            "\(p): file is \(size) bytes, too small for the 8-byte header length"
        case .headerTooLarge(let p, let length):
            "\(p): header length \(length) exceeds the 100000000-byte limit"
        case .headerBeyondFile(let p, let length, let size):
            "\(p): header length \(length) runs past the end of the \(size)-byte file"
        case .headerNotUTF8(let p):
            "\(p): header is not valid UTF-8"
        case .headerNotObject(let p):
            "\(p): header must be a JSON object starting with '{'"
        case .headerJSON(let p, let offset, let reason):
            "\(p): header JSON invalid at byte \(offset): \(reason)"
        case .duplicateTensor(let p, let name):
            "\(p): tensor '\(name)': name appears more than once in the header"
        case .metadataNotStringMap(let p, let key):
            if let key { "\(p): __metadata__ value for '\(key)' must be a string" }
            else { "\(p): __metadata__ must be an object mapping strings to strings, or null" }
        case .tensorEntryNotObject(let p, let name):
            "\(p): tensor '\(name)': entry must be an object with dtype, shape and data_offsets"
        case .missingField(let p, let name, let field):
            "\(p): tensor '\(name)': missing or mistyped field '\(field)'"
        case .unknownDType(let p, let name, let dtype):
            "\(p): tensor '\(name)': unknown dtype '\(dtype)'"
        case .badShape(let p, let name, let reason):
            "\(p): tensor '\(name)': shape \(reason)"
        case .badOffsets(let p, let name, let reason):
            "\(p): tensor '\(name)': data_offsets \(reason)"
        case .sizeOverflow(let p, let name):
            "\(p): tensor '\(name)': element count or byte size overflows 64 bits, or its dimensions (zeros left out) multiply past 2^36"
        case .partialByte(let p, let name, let dtype, let elements):
            "\(p): tensor '\(name)': \(elements) elements of \(dtype.rawValue) do not fill whole bytes"
        case .spanMismatch(let p, let name, let span, let type, let needed):
            "\(p): tensor '\(name)': data_offsets span \(span) bytes but \(type) needs \(needed)"
        case .gap(let p, let name, let expected, let actual):
            "\(p): tensor '\(name)': data starts at byte \(actual), leaving a hole after byte \(expected)"
        case .overlap(let p, let name, let previous):
            "\(p): tensor '\(name)': data overlaps tensor '\(previous)'"
        case .dataSizeMismatch(let p, let covered, let available):
            covered < available
                ? "\(p): \(available - Int64(covered)) bytes trail after the last tensor (tensors cover \(covered) of \(available) data bytes)"
                : "\(p): tensors need \(covered) data bytes but the file holds \(available)"
        case .pickle(let p, let reason):
            "\(p): refusing a pickle-based checkpoint (\(reason)); loading a pickle can run arbitrary code. Convert it to .safetensors first"
        case .notFound(let p, let name):
            "\(p): tensor '\(name)': not in this file"
        case .notConvertible(let p, let name, let dtype):
            "\(p): tensor '\(name)': \(dtype.rawValue) has no real value to compare"
        case .duplicateField(let p, let name, let field):
            "\(p): tensor '\(name)': field '\(field)' appears more than once"
        case .duplicateMetadataKey(let p, let key):
            "\(p): __metadata__ key '\(key)' appears more than once (two readers could see two different values)"
        }
    }
}
