// Fuzzes fingerprint recognition: a safetensors header (input bytes) whose data section is
// taken to be exactly what its tensors cover, then the fingerprint metadata checks, which
// must refuse bad shapes, rates and seeds before building a sampling plan of any size.
@testable import PedigreeCompute
@testable import PedigreeFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    var header: SafetensorsHeader?
    do throws(SafetensorsError) {
        header = try HeaderValidation.validate(headerBytes: input, dataLength: 0, path: "fuzz")
    } catch .dataSizeMismatch(_, let covered, _) {
        header = try? HeaderValidation.validate(headerBytes: input, dataLength: Int64(covered), path: "fuzz")
    } catch {}
    guard let header else { return 0 }
    if let layout = try? FingerprintLayout(header: header, path: "fuzz") {
        for (name, columns) in layout.columnsByName {
            let shape = layout.shapes[name] ?? []
            let width = ColumnSampling.TensorShape(name: name, shape: shape).columns
            precondition(columns.allSatisfy { $0 >= 0 && $0 < width }, "sampled column out of bounds")
        }
    }
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzFingerprintMetadata_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzFingerprintMetadata_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
