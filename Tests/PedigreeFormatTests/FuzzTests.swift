import Foundation
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// Seeded mutations of valid files: the reader may refuse them, but must never crash,
/// trap, hang or read outside the file, and every refusal is one line naming the file.
@Suite("Fuzz-style robustness")
struct FuzzTests {
    static func seedFiles() -> [[UInt8]] {
        let header = ST.header(
            "\"__metadata__\":{\"format\":\"pt\",\"k\":\"v\"}",
            ST.entry("model.diffusion_model.w", "F16", [3, 5], 0, 30),
            ST.entry("b", "BF16", [], 30, 32),
            ST.entry("q4", "F4", [6], 32, 35),
            ST.entry("q6", "F6_E2M3", [4], 35, 38),
            ST.entry("e", "U8", [0, 7], 38, 38),
            ST.entry("f8", "F8_E4M3", [2], 38, 40),
            ST.entry("i", "I64", [1], 40, 48),
            ST.entry("c", "C64", [1], 48, 56))
        return [
            ST.make(header: header + "  ", data: ST.filler(56)),
            ST.make(header: ST.header(ST.entry("x", "F32", [2, 2], 0, 16)), data: ST.filler(16)),
            ST.make(header: "{}"),
        ]
    }

    static let fragments = ["{", "}", "[", "]", ",", ":", "\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"",
                            "\"F16\"", "\"F4\"", "\"U8\"", "0", "1", "-1", "2", "18446744073709551615", "9223372036854775807",
                            "1e400", "0.5", "null", "true", "\"x\"", " ", "\n", "\\", "\\u0000", "\u{00E9}", "[0,2]", "[2,0]", "[]"]

    static func mutate(_ seed: [UInt8], using g: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        switch Int.random(in: 0 ..< 7, using: &g) {
        case 0:  // flip bits anywhere
            for _ in 0 ..< Int.random(in: 1 ... 4, using: &g) where !bytes.isEmpty {
                bytes[Int.random(in: 0 ..< bytes.count, using: &g)] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &g)
            }
        case 1:  // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0 ... bytes.count, using: &g)))
        case 2:  // a nearby or wild header length
            let length = bytes.count >= 8 ? bytes[0 ..< 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : 0
            let next: UInt64 = Bool.random(using: &g) ? length &+ UInt64(bitPattern: Int64.random(in: -9 ... 9, using: &g)) : g.next() >> UInt64.random(in: 0 ..< 64, using: &g)
            if bytes.count < 8 { bytes += [UInt8](repeating: 0, count: 8 - bytes.count) }
            bytes.replaceSubrange(0 ..< 8, with: ST.lengthPrefix(next))
        case 3:  // a random header from JSON-ish fragments, random data
            var header = "{"
            for _ in 0 ..< Int.random(in: 0 ..< 40, using: &g) { header += fragments.randomElement(using: &g)! }
            bytes = ST.make(header: header, data: randomBytes(Int.random(in: 0 ..< 64, using: &g), seed: g.next()))
        case 4:  // replace a run of header bytes with a fragment
            let headerEnd = min(bytes.count, 8 + 200)
            guard headerEnd > 8 else { break }
            let start = Int.random(in: 8 ..< headerEnd, using: &g)
            let end = min(headerEnd, start + Int.random(in: 0 ..< 4, using: &g))
            let fragment = Array(fragments.randomElement(using: &g)!.utf8)
            bytes.replaceSubrange(start ..< end, with: fragment)
            // Usually keep the length in step with the header, so the JSON rules are reached.
            let newLength = (headerLengthOf(seed) ?? 0) + fragment.count - (end - start)
            if Bool.random(using: &g), newLength >= 0 { bytes.replaceSubrange(0 ..< 8, with: ST.lengthPrefix(UInt64(newLength))) }
        case 5:  // change a digit in the header (offsets, shapes)
            let digits = bytes.indices.filter { $0 >= 8 && $0 < min(bytes.count, 300) && (0x30 ... 0x39).contains(bytes[$0]) }
            if let i = digits.randomElement(using: &g) { bytes[i] = UInt8.random(in: 0x30 ... 0x39, using: &g) }
        default:  // grow or shrink the data
            if Bool.random(using: &g) { bytes += randomBytes(Int.random(in: 1 ..< 9, using: &g), seed: g.next()) }
            else if !bytes.isEmpty { bytes.removeLast(Int.random(in: 1 ... min(8, bytes.count), using: &g)) }
        }
        return bytes
    }

    static func headerLengthOf(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 8 else { return nil }
        return Int(exactly: bytes[0 ..< 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    // The limit catches a hang, not slowness: in the full parallel suite on two cores (CLI
    // suites running torch beside it) this test can get little CPU for minutes.
    @Test(.timeLimit(.minutes(5))) func mutatedFilesNeverCrashOrHang() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("fuzz.safetensors")
        var g = SeededGenerator(seed: 0x5EED_CAFE)
        let seeds = Self.seedFiles()
        var accepted = 0, refused = 0
        var codes = Set<String>()
        for iteration in 0 ..< 3000 {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0 ..< Int.random(in: 1 ... 3, using: &g) { bytes = Self.mutate(bytes, using: &g) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let file = try SafetensorsFile(path: path)
                accepted += 1
                // A file that validates can be read completely, within its bounds.
                var covered = 0
                for tensor in file.header.tensors {
                    #expect(file.fileOffset(of: tensor) + Int64(tensor.byteCount) <= Int64(bytes.count))
                    covered += tensor.byteCount
                    if tensor.dtype.convertsToFloat32 { #expect(try file.readFloat32(tensor).count == tensor.elementCount) }
                }
                #expect(file.header.dataStart + covered == bytes.count)
                if iteration % 97 == 0 { _ = try CheckpointHasher.hash(file: file) }
            } catch let error as SafetensorsError {
                refused += 1
                codes.insert(error.code)
                #expect(error.message.hasPrefix(path + ": ") && !error.message.contains("\n"), "\(error.message)")
            }
        }
        #expect(accepted > 50 && refused > 1000, "accepted \(accepted), refused \(refused)")
        #expect(codes.count >= 10, "rules reached: \(codes.sorted())")
    }
}
