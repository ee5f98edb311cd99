import CPedigreeKernels

/// Converts raw little-endian tensor bytes of any dtype to Float32.
///
/// F16, BF16, F32 and F64 go through the vector kernels (F16C/AVX2 when the CPU has them);
/// the 8-, 6- and 4-bit float formats through exact 256-entry tables; integers and BOOL by
/// value, as `tensor.to(torch.float32)` does.
public enum DTypeDecoding {
    /// Decodes `count` elements starting at element `firstElement` of the raw bytes `src`,
    /// where `src` begins at the byte holding that element (see `byteRange`).
    /// Sub-byte types need `firstElement` to be the tensor-relative index so that the bit
    /// position inside the first byte is known. `src` must hold the bytes of those
    /// elements and `dst` at least `count` floats; both are checked, since the C kernels
    /// below trust the count they are given.
    public static func decode(
        _ src: UnsafeRawBufferPointer, dtype: DType, firstElement: Int, count: Int, into dst: UnsafeMutableBufferPointer<Float>
    ) {
        guard count > 0 else { return }
        let needed = byteRange(elements: firstElement ..< firstElement + count, dtype: dtype).count
        precondition(src.count >= needed, "decode: \(count) \(dtype) elements need \(needed) source bytes, got \(src.count)")
        precondition(dst.count >= count, "decode: \(count) elements into a buffer of \(dst.count)")
        // SAFETY: both preconditions above hold, so every kernel and loop below reads at most
        // `needed` bytes of `src` and writes at most `count` floats of `dst`.
        guard let base = src.baseAddress, let out = dst.baseAddress else { return }
        switch dtype {
        case .f16: pk_f16_to_f32(base, out, count)
        case .bf16: pk_bf16_to_f32(base, out, count)
        case .f32: pk_f32_to_f32(base, out, count)
        case .f64: pk_f64_to_f32(base, out, count)
        case .f8e4m3, .f8e5m2, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz:
            let table = MiniFloatTables.table(for: dtype)
            for i in 0 ..< count { dst[i] = table[Int(src[i])] }
        case .f4:
            let table = MiniFloatTables.f4
            for i in 0 ..< count {
                let element = firstElement + i
                let byte = src[element / 2 - firstElement / 2]
                // Two values per byte, the first in the low nibble (torch float4_e2m1fn_x2).
                let nibble = element % 2 == 0 ? byte & 0x0F : byte >> 4
                dst[i] = table[Int(nibble)]
            }
        case .f6e2m3, .f6e3m2:
            let table = MiniFloatTables.table(for: dtype)
            let firstBit = (firstElement * 6) / 8 * 8
            for i in 0 ..< count {
                // Elements are packed as a little-endian bit stream, 6 bits each.
                let bit = (firstElement + i) * 6 - firstBit
                let low = Int(src[bit / 8])
                let high = bit / 8 + 1 < src.count ? Int(src[bit / 8 + 1]) : 0
                let code = ((low | high << 8) >> (bit % 8)) & 0x3F
                dst[i] = table[code]
            }
        case .bool, .u8: for i in 0 ..< count { dst[i] = Float(src[i]) }
        case .i8: for i in 0 ..< count { dst[i] = Float(Int8(bitPattern: src[i])) }
        case .i16: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self).littleEndian) }
        case .u16: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
        case .i32: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self).littleEndian) }
        case .u32: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
        case .i64: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self).littleEndian) }
        case .u64: for i in 0 ..< count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian) }
        case .c64: for i in 0 ..< count { dst[i] = .nan }  // never reached: callers refuse C64 first
        }
    }

    /// The bytes holding elements `elements` of a tensor of `dtype`, relative to the tensor start.
    public static func byteRange(elements: Range<Int>, dtype: DType) -> Range<Int> {
        let startBit = elements.lowerBound * dtype.bitSize
        let endBit = elements.upperBound * dtype.bitSize
        return (startBit / 8) ..< ((endBit + 7) / 8)
    }
}

/// Exact value tables for the 8-, 6- and 4-bit float formats, built once from their bit layouts.
enum MiniFloatTables {
    static let f8e4m3 = build(count: 256) { code in
        // E4M3 "fn": bias 7, no infinity, S.1111.111 is NaN (max 448).
        if code & 0x7F == 0x7F { return .nan }
        return minifloat(code, exponentBits: 4, mantissaBits: 3, bias: 7)
    }
    static let f8e5m2 = build(count: 256) { code in
        // E5M2: IEEE-like, bias 15, with infinities and NaNs (the top byte of an F16).
        let exponent = (code >> 2) & 0x1F
        if exponent == 0x1F { return (code & 0x3) == 0 ? (code & 0x80 != 0 ? -.infinity : .infinity) : .nan }
        return minifloat(code, exponentBits: 5, mantissaBits: 2, bias: 15)
    }
    static let f8e4m3fnuz = build(count: 256) { code in
        // FNUZ: bias 8, no infinity, no negative zero; 0x80 is the only NaN.
        code == 0x80 ? .nan : minifloat(code, exponentBits: 4, mantissaBits: 3, bias: 8)
    }
    static let f8e5m2fnuz = build(count: 256) { code in
        code == 0x80 ? .nan : minifloat(code, exponentBits: 5, mantissaBits: 2, bias: 16)
    }
    static let f8e8m0 = build(count: 256) { code in
        // E8M0: an unsigned power of two, 2^(code - 127); 0xFF is NaN.
        code == 0xFF ? .nan : Float(sign: .plus, exponent: code - 127, significand: 1)
    }
    static let f6e2m3 = build(count: 64) { code in minifloat(code, exponentBits: 2, mantissaBits: 3, bias: 1) }
    static let f6e3m2 = build(count: 64) { code in minifloat(code, exponentBits: 3, mantissaBits: 2, bias: 3) }
    static let f4 = build(count: 16) { code in minifloat(code, exponentBits: 2, mantissaBits: 1, bias: 1) }

    static func table(for dtype: DType) -> [Float] {
        switch dtype {
        case .f8e4m3: f8e4m3
        case .f8e5m2: f8e5m2
        case .f8e4m3fnuz: f8e4m3fnuz
        case .f8e5m2fnuz: f8e5m2fnuz
        case .f8e8m0: f8e8m0
        case .f6e2m3: f6e2m3
        case .f6e3m2: f6e3m2
        default: f4
        }
    }

    private static func build(count: Int, _ value: (Int) -> Float) -> [Float] { (0 ..< count).map(value) }

    /// Value of a sign/exponent/mantissa code with no special values: exponent 0 is subnormal.
    private static func minifloat(_ code: Int, exponentBits: Int, mantissaBits: Int, bias: Int) -> Float {
        let sign: Float = (code >> (exponentBits + mantissaBits)) & 1 == 1 ? -1 : 1
        let exponent = (code >> mantissaBits) & ((1 << exponentBits) - 1)
        let mantissa = Float(code & ((1 << mantissaBits) - 1)) / Float(1 << mantissaBits)
        if exponent == 0 { return sign * mantissa * Float(sign: .plus, exponent: 1 - bias, significand: 1) }
        return sign * (1 + mantissa) * Float(sign: .plus, exponent: exponent - bias, significand: 1)
    }
}
