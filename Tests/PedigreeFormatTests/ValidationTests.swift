import Foundation
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// One crafted file per rule of the reader (huggingface/safetensors' rules plus duplicate names).
@Suite("Safetensors validation rules")
struct ValidationTests {
    // MARK: The 8-byte length and the header's extent

    @Test func fileTooSmallForTheLength() throws {
        try expectRejection([], code: "ST001", "file is 0 bytes", "too small")
        try expectRejection([2, 0, 0, 0, 0], code: "ST001", "file is 5 bytes", "8-byte header length")
        try expectRejection([0, 0, 0, 0, 0, 0, 0], code: "ST001", "7 bytes")
    }

    @Test func headerLengthOverTheLimit() throws {
        try expectRejection(ST.make(header: "{}", declaredLength: 100_000_001), code: "ST002", "100000001", "100000000-byte limit")
        try expectRejection(ST.lengthPrefix(.max), code: "ST002", "\(UInt64.max)")
        // Exactly at the limit is allowed by that rule; this file is then too short for it.
        try expectRejection(ST.make(header: "{}", declaredLength: 100_000_000), code: "ST003", "header length 100000000")
    }

    @Test func headerRunsPastTheEndOfTheFile() throws {
        try expectRejection(ST.make(header: "{}", declaredLength: 3), code: "ST003", "header length 3", "10-byte file")
        try expectRejection(ST.lengthPrefix(1), code: "ST003", "header length 1 runs past the end of the 8-byte file")
    }

    // MARK: Encoding and JSON

    @Test func headerNotUTF8() throws {
        let header: [UInt8] = Array("{\"a".utf8) + [0xFF, 0xFE] + Array("\":{}}".utf8)
        try expectRejection(ST.make(headerBytes: header), code: "ST004", "not valid UTF-8")
        // A lone surrogate encoded in UTF-8 (CESU) is not valid UTF-8 either.
        try expectRejection(ST.make(headerBytes: Array("{\"".utf8) + [0xED, 0xA0, 0x80] + Array("\":1}".utf8)), code: "ST004")
    }

    @Test func headerMustStartWithBrace() throws {
        try expectRejection(ST.make(header: "[]"), code: "ST005", "must be a JSON object starting with '{'")
        try expectRejection(ST.make(header: " {}"), code: "ST005")
        try expectRejection(ST.make(header: "\"x\""), code: "ST005")
        try expectRejection(ST.lengthPrefix(0), code: "ST005")  // empty header
    }

    @Test func headerBadJSON() throws {
        try expectRejection(ST.make(header: "{\"a\":"), code: "ST006", "header JSON invalid at byte 5")
        try expectRejection(ST.make(header: "{\"a\":1,}"), code: "ST006", "header JSON invalid")
        try expectRejection(ST.make(header: "{} {}"), code: "ST006", "after the top-level value")
        try expectRejection(ST.make(header: "{'a':1}"), code: "ST006")
        try expectRejection(ST.make(header: "{\"a\":01}"), code: "ST006")
        try expectRejection(ST.make(header: "{\"a\":\"\\ud800\"}"), code: "ST006", "surrogate")
        // Deep nesting is refused, not recursed into until the stack runs out.
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        try expectRejection(ST.make(header: deep), code: "ST006", "nesting")
    }

    // MARK: Names, fields, metadata

    @Test func duplicateTensorName() throws {
        let header = ST.header(ST.entry("x.weight", "F16", [1], 0, 2), ST.entry("x.weight", "F16", [1], 2, 4))
        try expectRejection(ST.make(header: header, data: ST.filler(4)), code: "ST007", "tensor 'x.weight'", "more than once")
        let meta = "{\"__metadata__\":{},\"__metadata__\":{}}"
        try expectRejection(ST.make(header: meta), code: "ST007", "'__metadata__'")
    }

    @Test func duplicateFieldInAnEntry() throws {
        let header = "{\"x\":{\"dtype\":\"F16\",\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,2]}}"
        try expectRejection(ST.make(header: header, data: ST.filler(2)), code: "ST023", "tensor 'x'", "field 'dtype' appears more than once")
    }

    @Test func metadataValuesMustBeStrings() throws {
        try expectRejection(ST.make(header: "{\"__metadata__\":{\"ok\":\"1\",\"steps\":1000}}"), code: "ST008", "'steps'", "must be a string")
        try expectRejection(ST.make(header: "{\"__metadata__\":{\"k\":null}}"), code: "ST008", "'k'")
        try expectRejection(ST.make(header: "{\"__metadata__\":{\"k\":{\"nested\":\"x\"}}}"), code: "ST008", "'k'")
    }

    @Test func metadataMustBeAnObject() throws {
        for value in ["[]", "\"text\"", "1", "true"] {
            try expectRejection(ST.make(header: "{\"__metadata__\":\(value)}"), code: "ST008", "__metadata__ must be an object")
        }
    }

    @Test func entryMustBeAnObjectWithTypedFields() throws {
        try expectRejection(ST.make(header: "{\"x\":[1,2]}"), code: "ST009", "tensor 'x'", "must be an object")
        try expectRejection(ST.make(header: "{\"x\":{\"shape\":[1],\"data_offsets\":[0,2]}}", data: [0, 0]), code: "ST010", "tensor 'x'", "'dtype'")
        try expectRejection(ST.make(header: "{\"x\":{\"dtype\":\"F16\",\"data_offsets\":[0,2]}}", data: [0, 0]), code: "ST010", "'shape'")
        try expectRejection(ST.make(header: "{\"x\":{\"dtype\":\"F16\",\"shape\":[1]}}", data: [0, 0]), code: "ST010", "'data_offsets'")
        try expectRejection(ST.make(header: "{\"x\":{\"dtype\":16,\"shape\":[1],\"data_offsets\":[0,2]}}", data: [0, 0]), code: "ST010", "'dtype'")
    }

    // MARK: dtype, shape, offsets

    @Test func unknownDType() throws {
        for name in ["F17", "f16", "FLOAT16", "F8_E4M3FN", "Q4_0", ""] {
            try expectRejection(ST.make(header: ST.header(ST.entry("x.weight", name, [1], 0, 2)), data: [0, 0]),
                                code: "ST011", "tensor 'x.weight'", "unknown dtype '\(name)'")
        }
    }

    @Test func everyReferenceDTypeIsKnown() throws {
        let names = ["BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "F16", "BF16", "F32", "F64", "C64",
                     "F8_E4M3", "F8_E5M2", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F4", "F6_E2M3", "F6_E3M2"]
        #expect(Set(DType.allCases.map(\.rawValue)) == Set(names))
        let dir = try TemporaryDirectory()
        for name in names {
            let dtype = try #require(DType(rawValue: name))
            // 8 elements fill whole bytes for every dtype, including F4 and F6.
            let bytes = 8 * dtype.bitSize / 8
            let file = try expectAccepted(ST.make(header: ST.header(ST.entry("t", name, [2, 4], 0, bytes)), data: ST.filler(bytes)), in: dir)
            #expect(file?.header.tensors.first?.dtype == dtype)
            #expect(file?.header.tensors.first?.byteCount == bytes)
        }
    }

    @Test func shapeMustListNonNegativeIntegers() throws {
        for dims in ["[-1]", "[2.0]", "[1e2]", "[2,-0]", "[18446744073709551616]", "[9223372036854775808]", "[\"2\"]", "[null]", "[[2]]", "{}"] {
            let header = "{\"x.weight\":{\"dtype\":\"U8\",\"shape\":\(dims),\"data_offsets\":[0,2]}}"
            let expectedCode = dims == "{}" ? "ST010" : "ST012"
            try expectRejection(ST.make(header: header, data: [0, 0]), code: expectedCode, "tensor 'x.weight'")
        }
        let header = "{\"x.weight\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,2]}}"
        try expectRejection(ST.make(header: header, data: [0, 0]), code: "ST012", "shape must list non-negative integers")
    }

    @Test func offsetsMustBeTwoOrderedNonNegativeIntegers() throws {
        func file(_ offsets: String) -> [UInt8] {
            ST.make(header: "{\"x.weight\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":\(offsets)}}", data: [0, 0])
        }
        try expectRejection(file("[0]"), code: "ST013", "tensor 'x.weight'", "data_offsets must be two non-negative integers")
        try expectRejection(file("[0,2,4]"), code: "ST013", "two non-negative integers")
        try expectRejection(file("[]"), code: "ST013")
        try expectRejection(file("[-2,0]"), code: "ST013", "non-negative")
        try expectRejection(file("[0,2.0]"), code: "ST013")
        try expectRejection(file("[0,18446744073709551616]"), code: "ST013")
        try expectRejection(file("[4,2]"), code: "ST013", "begin 4 is after end 2")
    }

    @Test func sizeArithmeticOverflow() throws {
        // 2^32 · 2^32 elements: the element count overflows.
        try expectRejection(ST.make(header: ST.header(ST.entry("big", "U8", [4_294_967_296, 4_294_967_296], 0, 0))),
                            code: "ST014", "tensor 'big'", "overflows 64 bits")
        // 2^60 elements of 16 bits: the element count fits, the bit count does not.
        try expectRejection(ST.make(header: ST.header(ST.entry("bits", "F16", [1 << 60], 0, 0))), code: "ST014", "tensor 'bits'")
        // Overflow is detected even when a later dimension is 0, as the reference does.
        try expectRejection(ST.make(header: ST.header(ST.entry("z", "U8", [4_294_967_296, 4_294_967_296, 0], 0, 0))), code: "ST014")
    }

    @Test func spanMustEqualDTypeSizeTimesElements() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(ST.make(header: ST.header(ST.entry("x.weight", "F16", [3, 2], 0, 10)), data: ST.filler(10)), to: "model.safetensors")
        #expect(throws: SafetensorsError.spanMismatch(path: path, name: "x.weight", span: 10, type: "F16 [3, 2]", needed: 12)) {
            _ = try SafetensorsFile(path: path)
        }
        do { _ = try SafetensorsFile(path: path) } catch let error as SafetensorsError {
            #expect(error.message == "\(path): tensor 'x.weight': data_offsets span 10 bytes but F16 [3, 2] needs 12")
            #expect(error.code == "ST016")
        }
        try expectRejection(ST.make(header: ST.header(ST.entry("s", "F32", [], 0, 8)), data: ST.filler(8)), code: "ST016", "F32 []", "needs 4")
        try expectRejection(ST.make(header: ST.header(ST.entry("e", "F32", [0, 3], 0, 4)), data: ST.filler(4)), code: "ST016", "F32 [0, 3] needs 0")
        try expectRejection(ST.make(header: ST.header(ST.entry("f6", "F6_E2M3", [8], 0, 8)), data: ST.filler(8)), code: "ST016", "needs 6")
    }

    @Test func subByteTensorsMustFillWholeBytes() throws {
        try expectRejection(ST.make(header: ST.header(ST.entry("q", "F4", [3], 0, 2)), data: [0, 0]), code: "ST015", "tensor 'q'", "3 elements of F4")
        try expectRejection(ST.make(header: ST.header(ST.entry("q", "F6_E3M2", [2], 0, 2)), data: [0, 0]), code: "ST015", "F6_E3M2")
    }

    // MARK: Coverage of the data section

    @Test func holeBetweenTensors() throws {
        let header = ST.header(ST.entry("a", "F32", [1], 0, 4), ST.entry("b", "F32", [1], 8, 12))
        try expectRejection(ST.make(header: header, data: ST.filler(12)), code: "ST017", "tensor 'b'", "starts at byte 8", "hole after byte 4")
        let first = ST.header(ST.entry("a", "F32", [1], 4, 8))
        try expectRejection(ST.make(header: first, data: ST.filler(8)), code: "ST017", "tensor 'a'", "hole after byte 0")
    }

    @Test func overlappingTensors() throws {
        let header = ST.header(ST.entry("a", "F32", [1], 0, 4), ST.entry("b", "F32", [1], 2, 6))
        try expectRejection(ST.make(header: header, data: ST.filler(6)), code: "ST018", "tensor 'b'", "overlaps tensor 'a'")
        let same = ST.header(ST.entry("a", "F32", [1], 0, 4), ST.entry("b", "U8", [4], 0, 4))
        try expectRejection(ST.make(header: same, data: ST.filler(4)), code: "ST018")
        // A zero-size tensor placed inside another one overlaps it too.
        let inside = ST.header(ST.entry("a", "F32", [1], 0, 4), ST.entry("z", "F32", [0], 2, 2))
        try expectRejection(ST.make(header: inside, data: ST.filler(4)), code: "ST018", "tensor 'z'")
    }

    @Test func trailingBytesAfterTheLastTensor() throws {
        let header = ST.header(ST.entry("a", "F32", [1], 0, 4))
        try expectRejection(ST.make(header: header, data: ST.filler(6)), code: "ST019", "2 bytes trail", "cover 4 of 6")
        try expectRejection(ST.make(header: "{}", data: [0]), code: "ST019", "1 bytes trail")
    }

    @Test func missingData() throws {
        let header = ST.header(ST.entry("a", "F32", [2], 0, 8))
        try expectRejection(ST.make(header: header, data: ST.filler(5)), code: "ST019", "tensors need 8 data bytes but the file holds 5")
        try expectRejection(ST.make(header: header), code: "ST019", "holds 0")
    }

    // MARK: What must be accepted

    @Test func whitespacePaddingIsAccepted() throws {
        let dir = try TemporaryDirectory()
        let header = ST.header(ST.entry("a", "F32", [2], 0, 8))
        for padding in ["   ", "\n", "\t \r\n  ", String(repeating: " ", count: 4093)] {
            let file = try expectAccepted(ST.make(header: header + padding, data: ST.filler(8)), in: dir)
            #expect(file?.header.tensors.map(\.name) == ["a"])
            #expect(file?.header.dataStart == 8 + header.utf8.count + padding.utf8.count)
        }
        // Whitespace inside the object, as pretty-printers write it.
        let pretty = "{\n  \"a\" : { \"dtype\" : \"F32\" , \"shape\" : [ 2 ] , \"data_offsets\" : [ 0 , 8 ] }\n}\n"
        #expect(try expectAccepted(ST.make(header: pretty, data: ST.filler(8)), in: dir)?.header.tensors.count == 1)
    }

    @Test func nullMetadataIsAccepted() throws {
        let dir = try TemporaryDirectory()
        let file = try expectAccepted(ST.make(header: "{\"__metadata__\":null," + ST.entry("a", "U8", [2], 0, 2) + "}", data: [1, 2]), in: dir)
        #expect(file?.header.metadata == [:])
        #expect(file?.header.tensors.count == 1)
    }

    @Test func metadataIsRead() throws {
        let dir = try TemporaryDirectory()
        let file = try expectAccepted(ST.make(header: "{\"__metadata__\":{\"format\":\"pt\",\"n\\u00e9\":\"\\\"q\\\"\\n\"}}"), in: dir)
        #expect(file?.header.metadata == ["format": "pt", "né": "\"q\"\n"])
        #expect(file?.header.tensors.isEmpty == true)
    }

    @Test func emptyHeaderWithNoDataIsAccepted() throws {
        let dir = try TemporaryDirectory()
        let file = try expectAccepted(ST.make(header: "{}"), in: dir)
        #expect(file?.header.tensors.isEmpty == true)
        #expect(file?.header.dataLength == 0)
        #expect(file?.header.dataStart == 10)
    }

    @Test func entriesMaySeeTensorsInAnyOrder() throws {
        let dir = try TemporaryDirectory()
        let header = ST.header(ST.entry("second", "U8", [2], 2, 4), ST.entry("first", "U8", [2], 0, 2), ST.entry("empty", "U8", [0], 4, 4))
        let file = try #require(try expectAccepted(ST.make(header: header, data: [10, 11, 20, 21]), in: dir))
        #expect(file.header.tensors.map(\.name) == ["first", "second", "empty"])
        #expect(try file.readFloat32(#require(file.header.tensor(named: "second"))) == [20, 21])
        #expect(file.header.tensor(named: "missing") == nil)
    }

    // MARK: Pickles

    @Test(arguments: ["model.ckpt", "model.pt", "model.bin", "model.pth", "MODEL.CKPT", "weights.pkl"])
    func safetensorsNamedLikeAPickleIsRead(name: String) throws {
        // The content decides, not the name: valid safetensors is read whatever it is called.
        let dir = try TemporaryDirectory()
        let path = try dir.write(ST.make(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 128, 63]), to: name)
        let file = try SafetensorsFile(path: path)
        #expect(try file.readFloat32(#require(file.header.tensor(named: "w"))) == [1])
    }

    @Test(arguments: ["model.ckpt", "model.pt", "weights.pkl"])
    func nonSafetensorsNamedLikeAPickleIsRefusedAsOne(name: String) throws {
        // A protocol-0 pickle has no magic bytes: not safetensors, and named like a pickle.
        let message = try expectRejection(Array("(dp0\nS'a'\np1\nI1\ns.".utf8) + ST.filler(8), named: name, code: "ST020",
                                          "refusing a pickle-based checkpoint", "Convert it to .safetensors")
        #expect(message?.contains("not a safetensors file, and") == true)
    }

    @Test(arguments: ["model.safetensors", "model.ckpt", "model"])
    func pickleBytesAreRefusedWhateverTheName(name: String) throws {
        try expectRejection([0x80, 0x04, 0x7D, 0x71, 0x00, 0x28, 0x58, 0x05] + ST.filler(64), named: name, code: "ST020", "pickle protocol 4")
    }

    @Test func pickleRefusedByMagicBytes() throws {
        // What torch.save writes: a zip archive (local file header "PK\x03\x04").
        var zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x08, 0x08, 0x00]
        zip += ST.filler(200)
        try expectRejection(zip, code: "ST020", "zip archive", "Convert it to .safetensors")
        // A zip whose next bytes are zero makes a header length under the limit: still a pickle.
        try expectRejection([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0] + ST.filler(100), code: "ST020", "zip archive")
        // Raw pickles, protocols 2 to 5 (`\x80\x02}q\x00…`).
        for proto: UInt8 in 2 ... 5 {
            try expectRejection([0x80, proto, 0x7D, 0x71, 0x00, 0x28, 0x58, 0x05] + ST.filler(64), code: "ST020", "pickle protocol \(proto)")
        }
        // Too small to hold a length, but clearly a pickle.
        try expectRejection([0x80, 0x02, 0x4E, 0x2E], code: "ST020", "pickle protocol 2")
    }

    // MARK: I/O errors keep the same one-line shape

    @Test func missingFileAndDirectory() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.file("absent.safetensors")
        #expect(throws: FileAccessError.self) { _ = try SafetensorsFile(path: missing) }
        do { _ = try SafetensorsFile(path: missing) } catch let error as FileAccessError {
            #expect(error.message.hasPrefix(missing + ": cannot open"))
        }
        #expect(throws: FileAccessError.isDirectory(path: dir.path)) { _ = try SafetensorsFile(path: dir.path) }
    }
}
