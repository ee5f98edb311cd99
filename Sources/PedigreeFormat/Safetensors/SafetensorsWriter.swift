import Foundation
import PedigreeSupport

/// Writes a safetensors file tensor by tensor, in bounded memory, atomically.
///
/// The header is computed up front from the declared tensors (their sizes are known from
/// dtype and shape), so data can stream straight to disk in declaration order. The file
/// appears at its destination only after `finish()`; the reference Python package reads
/// the result back (see the tests).
public final class SafetensorsWriter {
    public struct Entry: Sendable, Hashable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        public init(name: String, dtype: DType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }

        public var byteCount: Int { (shape.reduce(1, *) * dtype.bitSize + 7) / 8 }
    }

    public enum WriterError: PedigreeError, Equatable {
        case duplicateName(path: String, name: String)
        case partialByte(path: String, name: String)
        case wrongOrder(path: String, expected: String, got: String)
        case sizeMismatch(path: String, name: String, expected: Int, got: Int)
        case incomplete(path: String, missing: String)

        public var code: String {
            switch self {
            case .duplicateName: "SW001"
            case .partialByte: "SW002"
            case .wrongOrder: "SW003"
            case .sizeMismatch: "SW004"
            case .incomplete: "SW005"
            }
        }

        public var message: String {
            switch self {
            case .duplicateName(let p, let n): "\(p): tensor '\(n)': declared twice"
            case .partialByte(let p, let n): "\(p): tensor '\(n)': sub-byte data must fill whole bytes"
            case .wrongOrder(let p, let e, let g): "\(p): expected data for tensor '\(e)' but got '\(g)'"
            case .sizeMismatch(let p, let n, let e, let g): "\(p): tensor '\(n)': expected \(e) bytes, got \(g)"
            case .incomplete(let p, let m): "\(p): finished before tensor '\(m)' was written"
            }
        }
    }

    public let path: String
    public let entries: [Entry]
    private let output: AtomicOutput
    private var next = 0
    private var writtenInCurrent = 0

    /// Declares the file's tensors (in data order) and metadata, and writes the header.
    public init(path: String, entries: [Entry], metadata: [String: String] = [:]) throws {
        self.path = path
        self.entries = entries
        var names = Set<String>()
        for entry in entries {
            guard names.insert(entry.name).inserted else { throw WriterError.duplicateName(path: path, name: entry.name) }
            guard (entry.shape.reduce(1, *) * entry.dtype.bitSize) % 8 == 0 else {
                throw WriterError.partialByte(path: path, name: entry.name)
            }
        }
        self.output = try AtomicOutput(path: path)
        var header = Self.headerJSON(entries: entries, metadata: metadata)
        // Pad with spaces to a multiple of 8 so tensor data starts 8-byte aligned, as the
        // reference writer does; readers accept trailing whitespace.
        header.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8))
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try output.write($0) }
        try header.withUnsafeBytes { try output.write($0) }
    }

    /// Appends raw bytes of the current tensor; a tensor may arrive in several pieces.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        // Bytes arriving means the caller has moved past any zero-byte tensors before them.
        skipEmptyTensors()
        guard next < entries.count else {
            throw WriterError.sizeMismatch(path: path, name: entries.last?.name ?? "", expected: 0, got: bytes.count)
        }
        let entry = entries[next]
        guard writtenInCurrent + bytes.count <= entry.byteCount else {
            throw WriterError.sizeMismatch(path: path, name: entry.name, expected: entry.byteCount, got: writtenInCurrent + bytes.count)
        }
        try output.write(bytes)
        writtenInCurrent += bytes.count
        advancePastCompleteTensors()
    }

    /// Writes one whole tensor, checking it is the next one declared.
    public func write(name: String, bytes: UnsafeRawBufferPointer) throws {
        // Zero-byte tensors ([], [0], [0, 3]) may be written explicitly or left out.
        if writtenInCurrent == 0 { skipEmptyTensors(before: name) }
        guard next < entries.count, entries[next].name == name, writtenInCurrent == 0 else {
            throw WriterError.wrongOrder(path: path, expected: next < entries.count ? entries[next].name : "(none)", got: name)
        }
        guard bytes.count == entries[next].byteCount else {
            throw WriterError.sizeMismatch(path: path, name: name, expected: entries[next].byteCount, got: bytes.count)
        }
        if bytes.count == 0 { next += 1; return }
        try append(bytes)
    }

    /// Checks every declared tensor was written, then flushes and renames into place.
    public func finish() throws {
        advancePastCompleteTensors()
        if writtenInCurrent == 0 { skipEmptyTensors() }
        guard next == entries.count else { throw WriterError.incomplete(path: path, missing: entries[next].name) }
        try output.commit()
    }

    /// Moves past the current tensor once all its bytes are written. Zero-byte tensors are
    /// not skipped here, so that `write(name:bytes:)` can still name them in order.
    private func advancePastCompleteTensors() {
        while next < entries.count, entries[next].byteCount > 0, writtenInCurrent == entries[next].byteCount {
            next += 1
            writtenInCurrent = 0
        }
    }

    /// Moves past zero-byte tensors at the current position (stopping at one named `name`).
    private func skipEmptyTensors(before name: String? = nil) {
        while next < entries.count, entries[next].byteCount == 0, entries[next].name != name { next += 1 }
    }

    static func headerJSON(entries: [Entry], metadata: [String: String]) -> [UInt8] {
        var offset = 0
        let tensors = entries.map { entry in
            defer { offset += entry.byteCount }
            return HeaderTensor(name: entry.name, dtype: entry.dtype, shape: entry.shape, offsets: offset ..< offset + entry.byteCount)
        }
        return Array(headerJSON(metadata: metadata, tensors: tensors).utf8)
    }

    /// A tensor as the header lists it.
    struct HeaderTensor {
        let name: String
        let dtype: DType
        let shape: [Int]
        let offsets: Range<Int>
    }

    /// The header every writer emits (a new file, a metadata copy): `__metadata__` first,
    /// keys sorted, then each tensor in the order given with its dtype, shape and offsets.
    static func headerJSON(metadata: [String: String], tensors: [HeaderTensor]) -> String {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            members.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append("\(jsonString(tensor.name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(tensor.offsets.lowerBound),\(tensor.offsets.upperBound)]}")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON string literal: quotes, backslashes and every C0 control escaped, the rest as is.
    static func jsonString(_ text: String) -> String {
        let escaped = ScalarEscaping.escape(text) { scalar in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case _ where scalar.value < 0x20: ScalarEscaping.unicodeEscape(scalar, uppercase: false)
            default: nil
            }
        }
        return "\"" + escaped + "\""
    }
}
