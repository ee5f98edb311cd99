// Fuzzes a whole checkpoint as `inspect` and `compare` see it: the input bytes are written to
// a file (8-byte length, header, data), which is opened, inspected, and compared with itself
// and with a copy, so that every shape a header can declare reaches the planner and the
// one-pass engine. An allocation sized from a declared number (not from the file's bytes)
// trips libFuzzer's -malloc_limit_mb; a trap or sanitizer report is a crash.
import Foundation
import PedigreeCompute
import PedigreeFormat


let folder: String = {
    let base = ProcessInfo.processInfo.environment["TMPDIR"].map { $0 + "/" } ?? "/tmp/"
    let path = base + "pedigree-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    let a = folder + "/a.safetensors", b = folder + "/b.safetensors"
    guard (try? data.write(to: URL(fileURLWithPath: a))) != nil, (try? data.write(to: URL(fileURLWithPath: b))) != nil else { return 0 }
    guard (try? SafetensorsFile(path: a)) != nil else { return 0 }
    _ = try? Inspector.inspect(path: a)
    let request = ComparisonRequest(candidate: a, references: [.init(id: "r", path: b)], identifyFiles: false)
    if let result = try? Comparison.run(request, engine: OnePassEngine(workers: 1)) {
        _ = try? JSONEncoder().encode(result)
    }
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzCheckpointFile_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzCheckpointFile_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
