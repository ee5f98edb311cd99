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

/// SwiftPM links an executable's entry point as `FuzzSafetensorsHeader_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzSafetensorsHeader_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
