// Fuzzes the synth-recipe reader (YAML to a validated recipe; nothing is generated).
import PedigreeSynth

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? RecipeLoader.parse(text, path: "fuzz.yaml")
    return 0
}
