// Fuzzes the strict JSON reader alone: any input either throws a JSONSyntaxError with an
// offset inside the input, or parses to a value that re-serialises and re-parses to itself.
@testable import PedigreeFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    do throws(JSONSyntaxError) {
        let value = try StrictJSONParser.parse(input)
        let again = try StrictJSONParser.parse(Array(StrictJSONWriter.serialise(value).utf8))
        precondition(again == value, "round trip changed the value")
    } catch {
        precondition(error.offset >= 0 && error.offset <= input.count, "error offset outside the input")
    }
    return 0
}

/// SwiftPM links an executable's entry point as `FuzzStrictJSON_main` (it renames `main` so tests can
/// link executables). Providing it here, ahead of libFuzzer's own `main`, hands control to
/// libFuzzer's driver with this harness's callback.
@_cdecl("FuzzStrictJSON_main")
public func fuzzerEntry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzz)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
