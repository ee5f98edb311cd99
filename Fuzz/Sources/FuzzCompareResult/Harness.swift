// Fuzzes the compare-result reader (`classify` input): JSON to a checked CompareResult.
import Foundation
import PedigreeCompute

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    _ = try? CompareResultFile.decode(data, path: "fuzz.json")
    return 0
}
