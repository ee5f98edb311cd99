// Fuzzes the safetensors header rules (HeaderValidation, over the strict JSON reader).
// Input: 4 bytes little-endian data-section length, then the header bytes. Any thrown
// SafetensorsError is a correct answer; a trap, an ASan report or a timeout is a bug.
@testable import PedigreeFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    guard input.count >= 4 else { return 0 }
    let dataLength = Int64(input[0 ..< 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    let header = Array(input[4...])
    if let parsed = try? HeaderValidation.validate(headerBytes: header, dataLength: dataLength, path: "fuzz") {
        // Invariants a valid header must keep, whatever the bytes were.
        precondition(Int64(parsed.dataLength) == dataLength)
        for tensor in parsed.tensors {
            precondition(tensor.byteCount == tensor.dataOffsets.count)
            precondition(parsed.tensor(named: tensor.name) != nil)
        }
    }
    return 0
}
