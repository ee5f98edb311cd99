import CPedigreeKernels
import Foundation
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// Equal as float32 bit patterns, except that any NaN equals any NaN.
func sameFloat(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

/// Index and values of the first mismatch, for readable failures.
func firstMismatch(_ got: [Float], _ want: [Float]) -> String? {
    guard got.count == want.count else { return "count \(got.count) != \(want.count)" }
    for i in got.indices where !sameFloat(got[i], want[i]) {
        return "element \(i): got \(got[i]) (0x\(String(got[i].bitPattern, radix: 16))), want \(want[i]) (0x\(String(want[i].bitPattern, radix: 16)))"
    }
    return nil
}

/// Decodes `bytes` with `DTypeDecoding` (elements `range` of a tensor) the way a reader does.
func decode(_ bytes: [UInt8], _ dtype: DType, elements range: Range<Int>) -> [Float] {
    let byteRange = DTypeDecoding.byteRange(elements: range, dtype: dtype)
    var out = [Float](repeating: -12345, count: range.count)
    let slice = Array(bytes[byteRange])
    slice.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer { dst in
            DTypeDecoding.decode(raw, dtype: dtype, firstElement: range.lowerBound, count: range.count, into: dst)
        }
    }
    return out
}

@Suite("Dtype conversion against torch and bit-layout tables")
struct DTypeConversionTests {
    func fixture() throws -> ReferenceFixture { try ReferenceFixture.shared.get() }

    @Test func kernelsUseTheVectorPathOnThisMachine() {
        // The CI machine has AVX2/F16C: the vector path must be the one exercised below.
        #expect(pk_vector_level() == 2)
    }

    /// Every tensor of the file written by `safetensors.torch.save_file`: shape, dtype and values.
    @Test(.pythonOracle) func referenceFileReadsBackWithTorchValues() throws {
        let fixture = try fixture()
        let file = try SafetensorsFile(path: fixture.safetensorsPath)
        #expect(file.header.metadata == ["format": "pt", "note": "written by safetensors"])
        let stored = fixture.manifest.filter { $0.value.raw_only != true }
        #expect(file.header.tensorNames == Set(stored.keys))
        for (name, entry) in stored {
            let tensor = try #require(file.header.tensor(named: name))
            #expect(tensor.dtype.rawValue == entry.dtype, "\(name)")
            #expect(tensor.shape == entry.shape, "\(name)")
            #expect(tensor.elementCount == entry.shape.reduce(1, *), "\(name)")
            let values = try file.readFloat32(tensor)
            let mismatch = firstMismatch(values, try fixture.floats(name))
            #expect(mismatch == nil, "\(name) (\(entry.dtype)): \(mismatch ?? "")")
        }
    }

    @Test(.pythonOracle) func scalarsAndZeroElementTensors() throws {
        let fixture = try fixture()
        let file = try SafetensorsFile(path: fixture.safetensorsPath)
        let scalar = try #require(file.header.tensor(named: "scalar.f16"))
        #expect(scalar.shape == [] && scalar.elementCount == 1 && scalar.byteCount == 2)
        #expect(scalar.rows == 1 && scalar.columns == 1)
        #expect(try file.readFloat32(scalar) == [3.5])
        #expect(try file.readFloat32(#require(file.header.tensor(named: "scalar.i64"))) == [-7])
        let empty = try #require(file.header.tensor(named: "empty.f32"))
        #expect(empty.shape == [0] && empty.elementCount == 0 && empty.byteCount == 0)
        #expect(try file.readFloat32(empty) == [])
        let empty03 = try #require(file.header.tensor(named: "empty03.bf16"))
        #expect(empty03.shape == [0, 3] && empty03.elementCount == 0 && empty03.byteCount == 0)
        #expect(empty03.rows == 0 && empty03.columns == 3)
        #expect(try file.readFloat32(empty03) == [])
        let matrix = try #require(file.header.tensor(named: "matrix.f32"))
        #expect(matrix.rows == 2 && matrix.columns == 12)
        #expect(try file.readFloat32(matrix) == (0 ..< 24).map { Float($0) - 7.25 })
    }

    /// All 65536 F16 and BF16 patterns through the vector kernel, the scalar path (one
    /// element per call), and odd offsets/lengths that end in the scalar tail.
    @Test(.pythonOracle, arguments: [("f16.all", DType.f16), ("bf16.all", DType.bf16)])
    func all16BitPatterns(name: String, dtype: DType) throws {
        let fixture = try fixture()
        let want = try fixture.floats(name)
        #expect(want.count == 65536)
        var bytes = [UInt8]()
        for code in 0 ..< 65536 { bytes += [UInt8(code & 0xFF), UInt8(code >> 8)] }

        #expect(firstMismatch(decode(bytes, dtype, elements: 0 ..< 65536), want) == nil)
        // Scalar path for every pattern: with one element the vector loops never run.
        var scalar = [Float](repeating: 0, count: 65536)
        bytes.withUnsafeBytes { raw in
            for i in 0 ..< 65536 {
                let one = UnsafeRawBufferPointer(rebasing: raw[2 * i ..< 2 * i + 2])
                withUnsafeMutablePointer(to: &scalar[i]) { DTypeDecoding.decode(one, dtype: dtype, firstElement: 0, count: 1, into: UnsafeMutableBufferPointer(start: $0, count: 1)) }
            }
        }
        #expect(firstMismatch(scalar, want) == nil)
        // Odd starts and lengths (vector body + 8-wide loop + scalar tail), and no write past count.
        for (start, count) in [(1, 65533), (3, 1021), (7, 37), (65529, 7), (100, 15), (200, 17), (300, 33)] {
            var out = [Float](repeating: 42, count: count + 4)
            let src = Array(bytes[2 * start ..< 2 * (start + count)])
            src.withUnsafeBytes { raw in
                out.withUnsafeMutableBufferPointer { DTypeDecoding.decode(raw, dtype: dtype, firstElement: start, count: count, into: $0) }
            }
            #expect(firstMismatch(Array(out[0 ..< count]), Array(want[start ..< start + count])) == nil, "start \(start) count \(count)")
            #expect(out[count...].allSatisfy { $0 == 42 }, "wrote past \(count) elements")
        }
    }

    @Test(.pythonOracle, arguments: [("f8e4m3.all", DType.f8e4m3), ("f8e5m2.all", .f8e5m2), ("f8e4m3fnuz.all", .f8e4m3fnuz),
                      ("f8e5m2fnuz.all", .f8e5m2fnuz), ("f8e8m0.all", .f8e8m0)])
    func all8BitFloatCodes(name: String, dtype: DType) throws {
        let fixture = try fixture()
        let entry = try #require(fixture.manifest[name], "torch lacks \(dtype.rawValue)")
        #expect(entry.dtype == dtype.rawValue)
        let want = try fixture.floats(name)
        let bytes = (0 ..< 256).map { UInt8($0) }
        #expect(firstMismatch(decode(bytes, dtype, elements: 0 ..< 256), want) == nil)
        #expect(firstMismatch(decode(bytes, dtype, elements: 17 ..< 100), Array(want[17 ..< 100])) == nil)
        // Also through a file, as the reader sees it.
        let dir = try TemporaryDirectory()
        let path = try dir.write(ST.make(header: ST.header(ST.entry("t", dtype.rawValue, [16, 16], 0, 256)), data: bytes), to: "f8.safetensors")
        let file = try SafetensorsFile(path: path)
        #expect(firstMismatch(try file.readFloat32(file.header.tensors[0]), want) == nil)
    }

    @Test(.pythonOracle, arguments: ["f16.odd", "bf16.odd", "f32.bits", "f64.mixed", "i8.all", "u8.all", "i16.all", "u16.all",
                      "i32.mixed", "u32.mixed", "i64.mixed", "u64.mixed", "bool.mixed"])
    func partialReadsMatchTorch(name: String) throws {
        // Sub-ranges through readFloat32(_:elements:into:staging:), as the compute core streams.
        let fixture = try fixture()
        let file = try SafetensorsFile(path: fixture.safetensorsPath)
        let tensor = try #require(file.header.tensor(named: name))
        let want = try fixture.floats(name)
        for range in [0 ..< tensor.elementCount, 1 ..< tensor.elementCount, 3 ..< 40, 5 ..< 6, 8 ..< 8] {
            var out = [Float](repeating: 0, count: range.count)
            let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: SafetensorsFile.stagingBytes(for: range.count, dtype: tensor.dtype), alignment: 64)
            defer { staging.deallocate() }
            try out.withUnsafeMutableBufferPointer { dst in
                try file.readFloat32(tensor, elements: range, into: dst, staging: staging)
            }
            #expect(firstMismatch(out, Array(want[range])) == nil, "\(name) \(range)")
        }
    }

    // MARK: F4 and F6, against tables computed by hand from the bit layouts

    /// e2m1: {0, 0.5, 1, 1.5, 2, 3, 4, 6}, sign in bit 3.
    static let e2m1: [Float] = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
    /// e2m3, bias 1: exponent 0 is subnormal (m/8), else (1 + m/8) · 2^(e-1).
    static let e2m3: [Float] = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875,
                                1, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875,
                                2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75,
                                4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5]
    /// e3m2, bias 3: exponent 0 is subnormal (m/4 · 2^-2), else (1 + m/4) · 2^(e-3).
    static let e3m2: [Float] = [0, 0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375,
                                0.5, 0.625, 0.75, 0.875, 1, 1.25, 1.5, 1.75,
                                2, 2.5, 3, 3.5, 4, 5, 6, 7,
                                8, 10, 12, 14, 16, 20, 24, 28]

    static func signed(_ magnitudes: [Float]) -> [Float] { magnitudes + magnitudes.map { -$0 } }

    /// Packs `codes` of `bits` bits each as a little-endian bit stream (element i at stream
    /// bits 6i…, stream bit b = bit b%8 of byte b/8), one bit at a time.
    static func pack(_ codes: [Int], bits: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (codes.count * bits + 7) / 8)
        for (i, code) in codes.enumerated() {
            for b in 0 ..< bits where code >> b & 1 == 1 {
                let bit = i * bits + b
                out[bit / 8] |= 1 << (bit % 8)
            }
        }
        return out
    }

    @Test(arguments: [(DType.f4, 4), (.f6e2m3, 6), (.f6e3m2, 6)])
    func subByteFloats(dtype: DType, bits: Int) throws {
        let table: [Float] = switch dtype {
        case .f4: Self.signed(Self.e2m1)
        case .f6e2m3: Self.signed(Self.e2m3)
        default: Self.signed(Self.e3m2)
        }
        #expect(table.count == 1 << bits)
        // Every code, then a scrambled sequence so that codes meet every bit position.
        var codes = Array(0 ..< table.count)
        var generator = SeededGenerator(seed: 7)
        codes += (0 ..< 4 * table.count).map { _ in Int.random(in: 0 ..< table.count, using: &generator) }
        let want = codes.map { table[$0] }
        let bytes = Self.pack(codes, bits: bits)
        if dtype == .f4 {
            // Documented packing: two values per byte, the first in the low nibble.
            #expect(bytes[0] == 0x10 && bytes[1] == 0x32)
        }
        #expect(firstMismatch(decode(bytes, dtype, elements: 0 ..< codes.count), want) == nil)
        for start in [1, 2, 3, 5, 13] {
            for end in [start + 1, start + 6, codes.count - 1, codes.count] {
                #expect(firstMismatch(decode(bytes, dtype, elements: start ..< end), Array(want[start ..< end])) == nil, "\(dtype) \(start)..<\(end)")
            }
        }
        // Through a file and readFloat32, whole and in parts.
        let dir = try TemporaryDirectory()
        let path = try dir.write(ST.make(header: ST.header(ST.entry("q", dtype.rawValue, [codes.count], 0, bytes.count)), data: bytes), to: "q.safetensors")
        let file = try SafetensorsFile(path: path)
        let tensor = file.header.tensors[0]
        #expect(firstMismatch(try file.readFloat32(tensor), want) == nil)
        for range in [3 ..< 11, 7 ..< codes.count, 1 ..< 2] {
            var out = [Float](repeating: 0, count: range.count)
            let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: SafetensorsFile.stagingBytes(for: range.count, dtype: dtype), alignment: 64)
            defer { staging.deallocate() }
            try out.withUnsafeMutableBufferPointer { try file.readFloat32(tensor, elements: range, into: $0, staging: staging) }
            #expect(firstMismatch(out, Array(want[range])) == nil, "\(dtype) file \(range)")
        }
    }

    @Test func complexIsRefusedForComparison() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(ST.make(header: ST.header(ST.entry("c", "C64", [2], 0, 16)), data: ST.filler(16)), to: "c.safetensors")
        let file = try SafetensorsFile(path: path)
        #expect(throws: SafetensorsError.notConvertible(path: path, name: "c", dtype: .c64)) { _ = try file.readFloat32(file.header.tensors[0]) }
    }

    // MARK: Float32 → F16 / BF16, against torch's .half() / .bfloat16()

    func reverseFixture() throws -> (input: [Float], f16: [UInt16], bf16: [UInt16]) {
        let fixture = try fixture()
        let input = try ReferenceFixture.readFloats(fixture.directory.file("rev.in"))
        let f16 = try ReferenceFixture.readU16(fixture.directory.file("rev.f16"))
        let bf16 = try ReferenceFixture.readU16(fixture.directory.file("rev.bf16"))
        #expect(input.count == f16.count && input.count == bf16.count && input.count > 100_000)
        return (input, f16, bf16)
    }

    /// Same 16-bit result, where any NaN matches any NaN of the same format.
    static func mismatch16(_ got: [UInt16], _ want: [UInt16], _ input: [Float], isNaN: (UInt16) -> Bool) -> String? {
        for i in want.indices where got[i] != want[i] && !(isNaN(got[i]) && isNaN(want[i])) {
            return "input 0x\(String(input[i].bitPattern, radix: 16)) (\(input[i])): got 0x\(String(got[i], radix: 16)), torch 0x\(String(want[i], radix: 16))"
        }
        return nil
    }

    static func halfIsNaN(_ h: UInt16) -> Bool { h & 0x7C00 == 0x7C00 && h & 0x3FF != 0 }
    static func bf16IsNaN(_ h: UInt16) -> Bool { h & 0x7F80 == 0x7F80 && h & 0x7F != 0 }

    @Test(.pythonOracle) func float32ToF16MatchesTorch() throws {
        let (input, want, _) = try reverseFixture()
        // Vector path on the whole array (its length is odd, so the tail runs too).
        var vector = [UInt16](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in vector.withUnsafeMutableBytes { pk_f32_to_f16(src.baseAddress, $0.baseAddress, input.count) } }
        #expect(Self.mismatch16(vector, want, input, isNaN: Self.halfIsNaN) == nil)
        // Scalar path on every value: one element per call never enters the vector loop.
        var scalar = [UInt16](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in
            scalar.withUnsafeMutableBytes { dst in
                for i in 0 ..< input.count { pk_f32_to_f16(src.baseAddress! + i, dst.baseAddress! + 2 * i, 1) }
            }
        }
        #expect(Self.mismatch16(scalar, want, input, isNaN: Self.halfIsNaN) == nil)
    }

    @Test(.pythonOracle) func float32ToBF16MatchesTorch() throws {
        let (input, _, want) = try reverseFixture()
        var out = [UInt16](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in out.withUnsafeMutableBytes { pk_f32_to_bf16(src.baseAddress, $0.baseAddress, input.count) } }
        #expect(Self.mismatch16(out, want, input, isNaN: Self.bf16IsNaN) == nil)
        var scalar = [UInt16](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in
            scalar.withUnsafeMutableBytes { dst in
                for i in 0 ..< input.count { pk_f32_to_bf16(src.baseAddress! + i, dst.baseAddress! + 2 * i, 1) }
            }
        }
        #expect(Self.mismatch16(scalar, want, input, isNaN: Self.bf16IsNaN) == nil)
    }

    @Test func roundTripThroughF16IsExact() {
        // Every finite half → float32 → half returns the same bits (both paths).
        var halves = [UInt16](); for code in 0 ..< 65536 where !Self.halfIsNaN(UInt16(code)) { halves.append(UInt16(code)) }
        var floats = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBytes { src in floats.withUnsafeMutableBufferPointer { pk_f16_to_f32(src.baseAddress, $0.baseAddress, halves.count) } }
        var back = [UInt16](repeating: 0, count: halves.count)
        floats.withUnsafeBufferPointer { src in back.withUnsafeMutableBytes { pk_f32_to_f16(src.baseAddress, $0.baseAddress, halves.count) } }
        #expect(back == halves)
    }
}
