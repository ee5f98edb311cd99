import Foundation
import PedigreeTestSupport

/// Files and values produced once per test run by the reference implementation: a
/// safetensors file written by `safetensors.torch.save_file` with every dtype it supports
/// (all 65536 F16/BF16 bit patterns, all 256 codes of each 8-bit float, integers with
/// their extremes, scalars and zero-element tensors), each tensor's `.to(torch.float32)`
/// as raw little-endian floats, and torch's `.half()` / `.bfloat16()` of tricky float32s.
final class ReferenceFixture: Sendable {
    struct Entry: Decodable, Sendable {
        let shape: [Int]
        let dtype: String
        let raw_only: Bool?
    }

    let directory: TemporaryDirectory
    let manifest: [String: Entry]
    var safetensorsPath: String { directory.file("ref.safetensors") }

    /// Generated on first use; every test that needs it shares the one Python run.
    static let shared: Result<ReferenceFixture, FixtureError> = Result { try ReferenceFixture() }.mapError { $0 as? FixtureError ?? FixtureError(message: "\($0)") }

    struct FixtureError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private init() throws {
        directory = try TemporaryDirectory(prefix: "pedigree-reference")
        let result = try runPython(script: Self.script, arguments: [directory.path])
        guard result.status == 0 else {
            throw FixtureError(message: "python3 with safetensors, numpy and torch is required (status \(result.status)): \(result.stderr)")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("manifest.json")))
        manifest = try JSONDecoder().decode([String: Entry].self, from: data)
    }

    /// The reference float32 values of tensor `name`.
    func floats(_ name: String) throws -> [Float] { try Self.readFloats(directory.file(name + ".f32")) }
    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: directory.file(name)))) }

    static func readFloats(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0 ..< data.count / 4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) } }
    }

    static func readU16(_ path: String) throws -> [UInt16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0 ..< data.count / 2).map { raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian } }
    }

    static let script = #"""
import sys, os, json
import numpy as np, torch
from safetensors.torch import save_file

out = sys.argv[1]
rng = np.random.default_rng(20250601)
tensors, manifest = {}, {}

def ref(name, t, code, raw_only=False):
    manifest[name] = {"shape": list(t.shape), "dtype": code, "raw_only": raw_only}
    t.to(torch.float32).contiguous().numpy().astype("<f4").tofile(os.path.join(out, name + ".f32"))

def add(name, t, code):
    t = t.clone().contiguous()
    tensors[name] = t
    ref(name, t, code)

all16 = torch.from_numpy(np.arange(65536, dtype=np.uint16).view(np.int16).copy())
perm = torch.from_numpy(rng.permutation(65536).astype(np.uint16).view(np.int16).copy())
add("f16.all", all16.view(torch.float16), "F16")
add("bf16.all", all16.view(torch.bfloat16), "BF16")
add("f16.odd", perm[:1021].clone().view(torch.float16), "F16")     # 31·32 + 8 + 5: every loop of the AVX2 path and the tail
add("bf16.odd", perm[:1021].clone().view(torch.bfloat16), "BF16")
all8 = torch.arange(256, dtype=torch.uint8)
for name, dt, code in [("f8e4m3", torch.float8_e4m3fn, "F8_E4M3"), ("f8e5m2", torch.float8_e5m2, "F8_E5M2"),
                       ("f8e4m3fnuz", torch.float8_e4m3fnuz, "F8_E4M3FNUZ"), ("f8e5m2fnuz", torch.float8_e5m2fnuz, "F8_E5M2FNUZ")]:
    add(name + ".all", all8.clone().view(dt), code)
if hasattr(torch, "float8_e8m0fnu"):
    # safetensors' torch API has no F8_E8M0 yet: reference values only; the test writes the bytes.
    ref("f8e8m0.all", all8.clone().view(torch.float8_e8m0fnu), "F8_E8M0", raw_only=True)
f32 = rng.integers(0, 2**32, 4099, dtype=np.uint64).astype(np.uint32).view(np.float32)
add("f32.bits", torch.from_numpy(f32.copy()), "F32")
special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -1e-310, 1e-45, 7e-46, 3.4028235e38, 3.4028236e38,
                    3.4028235677973366e38, 1e39, -1e39, 1.0 + 2**-24, 1.0 + 3 * 2**-24, 1.0 + 2**-24 + 2**-50, 2**-149, 2**-150, 3 * 2**-151])
mags = rng.standard_normal(2001) * 10.0 ** rng.uniform(-60, 60, 2001)
add("f64.mixed", torch.from_numpy(np.concatenate([special, mags])), "F64")
add("i8.all", all8.clone().view(torch.int8), "I8")
add("u8.all", all8.clone(), "U8")
add("i16.all", all16.clone(), "I16")
add("u16.all", all16.clone().view(torch.uint16), "U16")
i32 = np.concatenate([np.array([0, 1, -1, 2**31 - 1, -2**31, 2**24 + 1, 2**24 + 3, -(2**24 + 1)], dtype=np.int32),
                      rng.integers(-2**31, 2**31, 1001, dtype=np.int64).astype(np.int32)])
add("i32.mixed", torch.from_numpy(i32), "I32")
u32 = np.concatenate([np.array([0, 1, 2**32 - 1, 2**31, 2**24 + 1], dtype=np.uint32), rng.integers(0, 2**32, 1001, dtype=np.uint64).astype(np.uint32)])
add("u32.mixed", torch.from_numpy(u32), "U32")
i64 = np.concatenate([np.array([0, 1, -1, 2**63 - 1, -2**63, 2**53 + 1, 2**24 + 1, (2**24 + 1) << 20], dtype=np.int64),
                      rng.integers(-2**63, 2**63 - 1, 1001, dtype=np.int64)])
add("i64.mixed", torch.from_numpy(i64), "I64")
u64 = np.concatenate([np.array([0, 1, 2**64 - 1, 2**63, 2**24 + 1], dtype=np.uint64), rng.integers(0, 2**64 - 1, 1001, dtype=np.uint64)])
add("u64.mixed", torch.from_numpy(u64), "U64")
add("bool.mixed", torch.from_numpy(rng.integers(0, 2, 1001).astype(np.bool_)), "BOOL")
add("scalar.f16", torch.tensor(3.5, dtype=torch.float16), "F16")
add("scalar.i64", torch.tensor(-7, dtype=torch.int64), "I64")
add("empty.f32", torch.zeros(0), "F32")
add("empty03.bf16", torch.zeros((0, 3), dtype=torch.bfloat16), "BF16")
add("matrix.f32", torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) - 7.25, "F32")
save_file(tensors, os.path.join(out, "ref.safetensors"), metadata={"format": "pt", "note": "written by safetensors"})

# Reverse conversions: float32 values where rounding is delicate.
h = np.arange(0, 0x7C00, dtype=np.uint16)
lo = h.view(np.float16).astype(np.float64)
hi = (h + 1).view(np.float16).astype(np.float64)
hi[-1] = 65536.0                                            # the tie above 65504 rounds to infinity
mid = ((lo + hi) / 2).astype(np.float32).view(np.uint32)    # exact midpoints (ties), subnormal ones included
f16_cases = np.concatenate([mid, mid + 1, mid - 1, lo.astype(np.float32).view(np.uint32)])
top = rng.integers(0, 0x7F80, 20000, dtype=np.uint32) << 16
bf16_cases = np.concatenate([top | 0x8000, (top | 0x10000) | 0x8000, top | 0x7FFF, top | 0x8001,
                             np.array([0x7F7F8000, 0x7F7FFFFF, 0x7F7F7FFF, 0x7F7E8000, 0x00008000, 0x00018000, 0x00000001, 0x0000FFFF], dtype=np.uint32)])
specials = np.array([0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001,
                     0x7FA00000, 0x7FFFFFFF, 0xFFFFFFFF, 0x7F802000, 0x477FE000, 0x477FEFFF, 0x477FF000, 0x47800000, 0x7F7FFFFF,
                     0x33000000, 0x33000001, 0x32FFFFFF, 0x32800000, 0x33C00000, 0x00000001, 0x00400000, 0x38800000, 0x387FFFFF], dtype=np.uint32)
noise = rng.integers(0, 2**32, 20001, dtype=np.uint64).astype(np.uint32)
bits = np.concatenate([f16_cases, bf16_cases, specials, noise, -np.ones(1, dtype=np.int64).astype(np.uint32)])
bits = np.concatenate([bits, bits ^ np.uint32(0x80000000)])   # both signs
vals = torch.from_numpy(bits.view(np.float32).copy())
bits.astype("<u4").tofile(os.path.join(out, "rev.in"))
vals.half().view(torch.int16).numpy().view(np.uint16).astype("<u2").tofile(os.path.join(out, "rev.f16"))
vals.bfloat16().view(torch.int16).numpy().view(np.uint16).astype("<u2").tofile(os.path.join(out, "rev.bf16"))
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
"""#
}
