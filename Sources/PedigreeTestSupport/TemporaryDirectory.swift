import Foundation

/// A fresh directory under the system temporary folder, removed with everything in it when
/// the value is released. Each test makes its own, so tests can run in parallel.
public final class TemporaryDirectory: @unchecked Sendable {
    /// Absolute path of the directory (no trailing slash).
    public let path: String

    public init(prefix: String = "pedigree-test") throws {
        let base = NSTemporaryDirectory()
        let folder = base.hasSuffix("/") ? base : base + "/"
        var template = Array((folder + "\(prefix)-XXXXXX").utf8CString)
        // SAFETY: `template` is a NUL-terminated C string (utf8CString); mkdtemp rewrites only
        // its six X's in place, and both reads below stop at that NUL inside the array.
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard made != nil else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mkdtemp failed: \(String(cString: strerror(errno)))"])
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the directory (the file is not created).
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// The names of the entries in the directory, hidden ones included, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}
