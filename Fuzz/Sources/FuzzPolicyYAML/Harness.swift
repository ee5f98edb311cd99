// Fuzzes the policy readers: the same text read as a licence, a base model and the
// classification settings. Located YAMLIssues are correct answers; traps are bugs.
import PedigreePolicy
import PedigreeYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let node = try? YAMLDocument.parse(text, file: "fuzz.yaml") else { return 0 }
    _ = try? Licence.read(from: node)
    _ = try? BaseModel.read(from: node)
    _ = try? ClassificationSettings.read(from: node)
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzPolicyYAML_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzPolicyYAML_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
