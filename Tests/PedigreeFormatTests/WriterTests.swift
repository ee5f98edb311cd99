import Foundation
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

@Suite("SafetensorsWriter")
struct WriterTests {
    struct Written {
        let entries: [SafetensorsWriter.Entry]
        let bytes: [String: [UInt8]]
        let values: [String: [Double]]
    }

    /// Tensors of several dtypes and shapes, including a scalar and zero-element tensors.
    static func sample() -> Written {
        let f32: [Float] = [1.5, -2.25, 0, Float(bitPattern: 0x0020_B6BA) /* a subnormal */, .greatestFiniteMagnitude, -0.0]
        let f64: [Double] = [.pi, -1e300, .leastNonzeroMagnitude]
        let i64: [Int64] = [0, -1, .max, .min]
        let f16Bits: [UInt16] = [0x3C00]  // 1.0
        let bf16Bits: [UInt16] = [0xC040, 0x3F80, 0x0001]  // -3.0, 1.0, tiny subnormal
        let entries: [SafetensorsWriter.Entry] = [
            .init(name: "model.f32", dtype: .f32, shape: [2, 3]),
            .init(name: "scalar.f16", dtype: .f16, shape: []),
            .init(name: "empty", dtype: .f32, shape: [0]),
            .init(name: "empty.0x3", dtype: .u8, shape: [0, 3]),
            .init(name: "big.i64", dtype: .i64, shape: [4]),
            .init(name: "f64", dtype: .f64, shape: [3, 1]),
            .init(name: "bf16", dtype: .bf16, shape: [3]),
            .init(name: "flags", dtype: .bool, shape: [5]),
            .init(name: "weird \"name\"\\ é\n", dtype: .u8, shape: [2]),
        ]
        let bytes: [String: [UInt8]] = [
            "model.f32": littleEndianBytes(f32.map(\.bitPattern)), "scalar.f16": littleEndianBytes(f16Bits), "empty": [],
            "empty.0x3": [], "big.i64": littleEndianBytes(i64), "f64": littleEndianBytes(f64.map(\.bitPattern)),
            "bf16": littleEndianBytes(bf16Bits), "flags": [1, 0, 0, 1, 1], "weird \"name\"\\ é\n": [7, 255],
        ]
        let values: [String: [Double]] = [
            "model.f32": f32.map(Double.init), "scalar.f16": [1], "empty": [], "empty.0x3": [],
            "big.i64": i64.map(Double.init), "f64": f64, "bf16": [-3, 1, Double(Float(bitPattern: 0x0001_0000))],
            "flags": [1, 0, 0, 1, 1], "weird \"name\"\\ é\n": [7, 255],
        ]
        return Written(entries: entries, bytes: bytes, values: values)
    }

    static let metadata = ["format": "pt", "modelspec.title": "Pédigrée \"test\"\n\ttab", "empty": ""]

    func write(_ sample: Written, to path: String, inPieces: Bool) throws {
        let writer = try SafetensorsWriter(path: path, entries: sample.entries, metadata: Self.metadata)
        for entry in sample.entries {
            let bytes = sample.bytes[entry.name]!
            try bytes.withUnsafeBytes { raw in
                if inPieces {
                    var start = 0
                    while start < raw.count {  // 3-byte pieces that straddle element boundaries
                        let end = min(start + 3, raw.count)
                        try writer.append(UnsafeRawBufferPointer(rebasing: raw[start ..< end]))
                        start = end
                    }
                } else {
                    try writer.write(name: entry.name, bytes: raw)
                }
            }
        }
        try writer.finish()
    }

    @Test(.pythonOracle, arguments: [false, true])
    func referencePackageReadsWhatTheWriterWrites(inPieces: Bool) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("written.safetensors")
        let sample = Self.sample()
        try write(sample, to: path, inPieces: inPieces)
        #expect(try dir.contents() == ["written.safetensors"], "no temporary file left behind")

        let script = #"""
import json, sys, torch
from safetensors import safe_open
out = {"tensors": {}}
with safe_open(sys.argv[1], framework="pt") as f:
    out["metadata"] = f.metadata()
    out["order"] = list(f.keys())
    for k in f.keys():
        t = f.get_tensor(k)
        out["tensors"][k] = {"dtype": str(t.dtype), "shape": list(t.shape), "values": t.to(torch.float64).flatten().tolist()}
with open(sys.argv[1], "rb") as raw:
    n = int.from_bytes(raw.read(8), "little")
    out["header_length"] = n
print(json.dumps(out))
"""#
        let result = try runPython(script: script, arguments: [path])
        try #require(result.status == 0, "python3 could not read the file: \(result.stderr)")
        struct Tensor: Decodable { let dtype: String; let shape: [Int]; let values: [Double] }
        struct Output: Decodable { let metadata: [String: String]?; let tensors: [String: Tensor]; let header_length: Int }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.metadata == Self.metadata)
        #expect(output.header_length % 8 == 0, "header padded so data is 8-byte aligned")
        let torchNames: [DType: String] = [.f32: "torch.float32", .f16: "torch.float16", .u8: "torch.uint8", .i64: "torch.int64",
                                          .f64: "torch.float64", .bf16: "torch.bfloat16", .bool: "torch.bool"]
        #expect(Set(output.tensors.keys) == Set(sample.entries.map(\.name)))
        for entry in sample.entries {
            let tensor = try #require(output.tensors[entry.name], "\(entry.name)")
            #expect(tensor.dtype == torchNames[entry.dtype], "\(entry.name)")
            #expect(tensor.shape == entry.shape, "\(entry.name)")
            let want = sample.values[entry.name]!
            #expect(tensor.values.count == want.count && zip(tensor.values, want).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) },
                    "\(entry.name): \(tensor.values) != \(want)")
        }

        // And Pedigree's own reader agrees.
        let file = try SafetensorsFile(path: path)
        #expect(file.header.metadata == Self.metadata)
        #expect(file.header.tensors.map(\.name) == sample.entries.map(\.name))
        #expect(file.header.dataStart % 8 == 0)
        for tensor in file.header.tensors where tensor.dtype != .f64 && tensor.dtype != .i64 {
            #expect(try file.readFloat32(tensor).map(Double.init) == sample.values[tensor.name]!.map { Double(Float($0)) }, "\(tensor.name)")
        }
    }

    @Test(.pythonOracle) func emptyFileIsValid() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("empty.safetensors")
        let writer = try SafetensorsWriter(path: path, entries: [])
        try writer.finish()
        let file = try SafetensorsFile(path: path)
        #expect(file.header.tensors.isEmpty && file.header.metadata.isEmpty)
        let result = try runPython(script: "import sys\nfrom safetensors.numpy import load_file\nprint(len(load_file(sys.argv[1])))", arguments: [path])
        #expect(result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(result.stderr)")
    }

    @Test func droppedWriterLeavesNoFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("partial.safetensors")
        do {
            let writer = try SafetensorsWriter(path: path, entries: [.init(name: "a", dtype: .f32, shape: [4])])
            try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try writer.append($0) }
            #expect(try dir.contents().count == 1, "the temporary file exists while writing")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(try dir.contents() == [], "neither the file nor a temporary file may remain")
    }

    @Test func failedFinishLeavesNoFileAndKeepsAnOldOne() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Array("previous".utf8), to: "model.safetensors")
        do {
            let writer = try SafetensorsWriter(path: path, entries: [.init(name: "a", dtype: .u8, shape: [2]), .init(name: "b", dtype: .u8, shape: [1])])
            try [UInt8](repeating: 1, count: 2).withUnsafeBytes { try writer.write(name: "a", bytes: $0) }
            #expect(throws: SafetensorsWriter.WriterError.incomplete(path: path, missing: "b")) { try writer.finish() }
        }
        #expect(try dir.contents() == ["model.safetensors"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous")
    }

    @Test func misuseIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("m.safetensors")
        #expect(throws: SafetensorsWriter.WriterError.duplicateName(path: path, name: "a")) {
            _ = try SafetensorsWriter(path: path, entries: [.init(name: "a", dtype: .u8, shape: [1]), .init(name: "a", dtype: .u8, shape: [1])])
        }
        #expect(throws: SafetensorsWriter.WriterError.partialByte(path: path, name: "q")) {
            _ = try SafetensorsWriter(path: path, entries: [.init(name: "q", dtype: .f4, shape: [3])])
        }
        let writer = try SafetensorsWriter(path: path, entries: [.init(name: "a", dtype: .u8, shape: [2]), .init(name: "b", dtype: .u8, shape: [1])])
        [UInt8](repeating: 0, count: 2).withUnsafeBytes { raw in
            #expect(throws: SafetensorsWriter.WriterError.wrongOrder(path: path, expected: "a", got: "b")) { try writer.write(name: "b", bytes: raw) }
            #expect(throws: SafetensorsWriter.WriterError.sizeMismatch(path: path, name: "a", expected: 2, got: 1)) {
                try writer.write(name: "a", bytes: UnsafeRawBufferPointer(rebasing: raw[0 ..< 1]))
            }
        }
        _ = [UInt8](repeating: 0, count: 4).withUnsafeBytes { raw in
            #expect(throws: SafetensorsWriter.WriterError.self) { try writer.append(raw) }  // 4 bytes into a 2-byte tensor
        }
        #expect(try dir.contents().allSatisfy { $0.hasPrefix(".m.safetensors.tmp-") })
    }

    @Test func subByteTensorsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("q.safetensors")
        let writer = try SafetensorsWriter(path: path, entries: [.init(name: "f4", dtype: .f4, shape: [4]), .init(name: "f6", dtype: .f6e3m2, shape: [4])])
        try [UInt8]([0x21, 0xF7]).withUnsafeBytes { try writer.write(name: "f4", bytes: $0) }
        try DTypeConversionTests.pack([1, 12, 33, 63], bits: 6).withUnsafeBytes { try writer.write(name: "f6", bytes: $0) }
        try writer.finish()
        let file = try SafetensorsFile(path: path)
        #expect(try file.readFloat32(#require(file.header.tensor(named: "f4"))) == [0.5, 1, 6, -6])
        #expect(try file.readFloat32(#require(file.header.tensor(named: "f6"))) == [0.0625, 1, -0.0625, -28])
    }
}
