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
