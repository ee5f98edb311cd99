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
