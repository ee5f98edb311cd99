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
