import Foundation
import PedigreeSupport

/// Hand-made safetensors bytes for tests: the 8-byte little-endian header length, the
/// header exactly as given (valid or not), then the data section.
public enum SafetensorsBytes {
    /// `header` as UTF-8, preceded by its length (or `declaredLength`) and followed by `data`.
    public static func make(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        make(headerBytes: Array(header.utf8), data: data, declaredLength: declaredLength)
    }

    public static func make(headerBytes: [UInt8], data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        var out = lengthPrefix(declaredLength ?? UInt64(headerBytes.count))
        out.reserveCapacity(8 + headerBytes.count + data.count)
        out += headerBytes
        out += data
        return out
    }

    /// The 8 little-endian bytes of `length`.
    public static func lengthPrefix(_ length: UInt64) -> [UInt8] {
        (0 ..< 8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
    }

    /// One header entry, `"name":{"dtype":…,"shape":[…],"data_offsets":[begin,end]}`.
    public static func entry(_ name: String, _ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(end)]}"
    }

    /// A header object from entries (already rendered), e.g. `header(entry(…), entry(…))`.
    public static func header(_ entries: String...) -> String { "{" + entries.joined(separator: ",") + "}" }

    /// Deterministic filler bytes (0, 1, 2, …) for a data section.
    public static func filler(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
        (0 ..< count).map { UInt8(truncatingIfNeeded: $0 &+ Int(seed)) }
    }
}

/// The seeded, deterministic random generator of fuzz-style tests: the project's one SplitMix64.
public typealias SeededGenerator = SplitMix64
