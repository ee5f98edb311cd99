// Fuzzes the synth-recipe reader (YAML to a validated recipe; nothing is generated).
import PedigreeSynth

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? RecipeLoader.parse(text, path: "fuzz.yaml")
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzRecipeYAML_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzRecipeYAML_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
