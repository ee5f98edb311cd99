// Fuzzes the release-manifest reader against the shipped policy set (Policies/, or the
// folder named by PEDIGREE_FUZZ_POLICIES; Scripts/fuzz.sh runs from the repository root).
import Foundation
import PedigreePolicy

let policies: PolicySet = {
    let folder = ProcessInfo.processInfo.environment["PEDIGREE_FUZZ_POLICIES"] ?? "Policies"
    switch PolicyLoader.load(folder: folder) {
    case .success(let set): return set
    case .failure(let problems): fatalError("cannot load the policy set at \(folder): \(problems)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? ManifestLoader.parse(text, file: "fuzz.yaml", policies: policies)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzManifestYAML_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzManifestYAML_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
