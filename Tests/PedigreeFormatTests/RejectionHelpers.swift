import Foundation
import PedigreeFormat
import PedigreeTestSupport
import Testing

/// Writes `bytes` as `name` in a fresh directory, opens it, and checks it is refused with
/// `code`, a one-line message that starts with the file's path and contains `fragments`.
/// Returns the message for further checks.
@discardableResult
func expectRejection(
    _ bytes: [UInt8], named name: String = "model.safetensors", code: String, _ fragments: String...,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> String? {
    let dir = try TemporaryDirectory()
    let path = try dir.write(bytes, to: name)
    do {
        let file = try SafetensorsFile(path: path)
        Issue.record("expected \(code), but the file was accepted with \(file.header.tensors.count) tensors", sourceLocation: sourceLocation)
        return nil
    } catch let error as SafetensorsError {
        #expect(error.code == code, "wrong rule: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix(path + ": "), "message must start with the path: \(error.message)", sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), "message must be one line", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "message lacks \"\(fragment)\": \(error.message)", sourceLocation: sourceLocation)
        }
        return error.message
    } catch {
        Issue.record("expected SafetensorsError \(code), got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Writes `bytes`, opens the file and returns it, recording an issue if it is refused.
func expectAccepted(_ bytes: [UInt8], in dir: TemporaryDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws -> SafetensorsFile? {
    let path = try dir.write(bytes, to: "ok-\(UInt32.random(in: 0 ... .max)).safetensors")
    do {
        return try SafetensorsFile(path: path)
    } catch {
        Issue.record("expected the file to be accepted, got: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

typealias ST = SafetensorsBytes
