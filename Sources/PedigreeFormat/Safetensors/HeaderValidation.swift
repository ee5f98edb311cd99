/// The validated content of a safetensors header.
public struct SafetensorsHeader: Sendable {
    /// Tensors in data order (sorted by offset), which is also the order reads are cheapest in.
    public let tensors: [TensorInfo]
    /// `__metadata__`, empty when absent or null.
    public let metadata: [String: String]
    /// N, the header's byte length; tensor data starts at byte 8 + N.
    public let headerLength: Int
    private let indexByName: [String: Int]

    public var dataStart: Int { 8 + headerLength }
    public var dataLength: Int { tensors.last?.dataOffsets.upperBound ?? 0 }

    init(tensors: [TensorInfo], metadata: [String: String], headerLength: Int) {
        self.tensors = tensors
        self.metadata = metadata
        self.headerLength = headerLength
        var index: [String: Int] = [:]
        for (position, tensor) in tensors.enumerated() { index[tensor.name] = position }
        self.indexByName = index
    }

    public func tensor(named name: String) -> TensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    public var tensorNames: Set<String> { Set(indexByName.keys) }
}

/// The rules of huggingface/safetensors' `read_metadata` and `Metadata::validate`, plus a
/// duplicate-name check the reference lacks. Works on bytes already in memory so tests can
/// exercise every rule without touching the file system.
enum HeaderValidation {
    static let maxHeaderLength: UInt64 = 100_000_000

    /// Validates the header bytes (after the 8-byte length) against a data section of
    /// `dataLength` bytes.
    static func validate(headerBytes: [UInt8], dataLength: Int64, path: String) throws(SafetensorsError) -> SafetensorsHeader {
        // The reference decodes the header as UTF-8 before parsing JSON.
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw .headerNotUTF8(path: path) }
        guard headerBytes.first == UInt8(ascii: "{") else { throw .headerNotObject(path: path) }
        let root: JSONValue
        do { root = try StrictJSONParser.parse(headerBytes) } catch {
            throw .headerJSON(path: path, offset: error.offset, reason: error.reason)
        }
        guard case .object(let members) = root else { throw .headerNotObject(path: path) }

        var metadata: [String: String] = [:]
        var seen = Set<String>()
        var tensors: [TensorInfo] = []
        tensors.reserveCapacity(members.count)
        for member in members {
            let name = member.key, value = member.value
            guard seen.insert(name).inserted else { throw .duplicateTensor(path: path, name: name) }
            if name == "__metadata__" {
                metadata = try parseMetadata(value, path: path)
            } else {
                tensors.append(try parseTensor(name: name, value: value, path: path))
            }
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        try checkCoverage(tensors, dataLength: dataLength, path: path)
        return SafetensorsHeader(tensors: tensors, metadata: metadata, headerLength: headerBytes.count)
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws(SafetensorsError) -> [String: String] {
        switch value {
        case .null:
            return [:]
        case .object(let entries):
            var result: [String: String] = [:]
            for member in entries {
                let key = member.key, entry = member.value
                guard case .string(let text) = entry else { throw .metadataNotStringMap(path: path, key: key) }
                // Foundation and most JSON readers keep the last of two equal keys, some the
                // first: a file holding a key twice can show two tools two licences.
                guard result.updateValue(text, forKey: key) == nil else { throw .duplicateMetadataKey(path: path, key: key) }
            }
            return result
        default:
            throw .metadataNotStringMap(path: path, key: nil)
        }
    }

    private static func parseTensor(name: String, value: JSONValue, path: String) throws(SafetensorsError) -> TensorInfo {
        guard case .object(let fields) = value else { throw .tensorEntryNotObject(path: path, name: name) }
        var fieldNames = Set<String>()
        for member in fields where !fieldNames.insert(member.key).inserted {
            throw .duplicateField(path: path, name: name, field: member.key)
        }
        func field(_ key: String) -> JSONValue? { fields.last { $0.key == key }?.value }

        guard case .string(let dtypeName)? = field("dtype") else { throw .missingField(path: path, name: name, field: "dtype") }
        guard let dtype = DType(rawValue: dtypeName) else { throw .unknownDType(path: path, name: name, dtype: dtypeName) }

        guard case .array(let dims)? = field("shape") else { throw .missingField(path: path, name: name, field: "shape") }
        var shape: [Int] = []
        shape.reserveCapacity(dims.count)
        for dim in dims {
            guard let size = nonNegativeInteger(dim) else {
                throw .badShape(path: path, name: name, reason: "must list non-negative integers that fit in 64 bits")
            }
            shape.append(size)
        }

        guard case .array(let offsets)? = field("data_offsets") else {
            throw .missingField(path: path, name: name, field: "data_offsets")
        }
        guard offsets.count == 2, let begin = nonNegativeInteger(offsets[0]), let end = nonNegativeInteger(offsets[1]) else {
            throw .badOffsets(path: path, name: name, reason: "must be two non-negative integers [begin, end]")
        }
        guard begin <= end else { throw .badOffsets(path: path, name: name, reason: "begin \(begin) is after end \(end)") }

        // The product of the non-zero dimensions must fit too, within `TensorInfo.maxExtent`:
        // a zero dimension makes the element count 0, but the compute core derives columns
        // from the same shape (reference safetensors accepts [0, 2^40, 2^40]; we don't).
        var elements = 1, nonZero = 1
        for dim in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            let (sized, sizedOverflow) = nonZero.multipliedReportingOverflow(by: max(dim, 1))
            guard !overflow, !sizedOverflow, sized <= TensorInfo.maxExtent else { throw .sizeOverflow(path: path, name: name) }
            elements = product
            nonZero = sized
        }
        let (bits, bitsOverflow) = elements.multipliedReportingOverflow(by: dtype.bitSize)
        guard !bitsOverflow else { throw .sizeOverflow(path: path, name: name) }
        guard bits % 8 == 0 else { throw .partialByte(path: path, name: name, dtype: dtype, elements: elements) }
        let info = TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin ..< end, elementCount: elements)
        guard bits / 8 == end - begin else {
            throw .spanMismatch(path: path, name: name, span: end - begin, type: info.typeDescription, needed: bits / 8)
        }
        return info
    }

    /// A JSON integer literal with no sign, fraction or exponent that fits in `Int`.
    private static func nonNegativeInteger(_ value: JSONValue) -> Int? {
        guard case .number(let literal) = value, literal.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(literal)
    }

    /// Tensors, sorted by offset, must tile the data section exactly: start at 0, no hole,
    /// no overlap, and end where the file ends.
    private static func checkCoverage(_ tensors: [TensorInfo], dataLength: Int64, path: String) throws(SafetensorsError) {
        var expected = 0
        var previous: String?
        for tensor in tensors {
            let start = tensor.dataOffsets.lowerBound
            if start > expected { throw .gap(path: path, name: tensor.name, expectedStart: expected, actualStart: start) }
            if start < expected, let previous { throw .overlap(path: path, name: tensor.name, previous: previous) }
            expected = tensor.dataOffsets.upperBound
            previous = tensor.name
        }
        guard Int64(expected) == dataLength else {
            throw .dataSizeMismatch(path: path, covered: expected, available: dataLength)
        }
    }
}
