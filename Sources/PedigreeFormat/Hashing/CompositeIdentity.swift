import Crypto
import Foundation

/// The identity of a checkpoint in several files: SHA-256 of the text
/// "pedigree-composite/1\n" followed by one line "RELATIVE-NAME SHA256\n" per file, in name
/// order. Two folders holding the same files under the same names share it; any changed,
/// added, removed or renamed file changes it. Each file's own hash comes from the hash cache.
public enum CompositeIdentity {
    public static func sha256(names: [String], files: [SafetensorsFile], cache: HashCache?) throws -> String {
        var lines: [String] = []
        for (name, file) in zip(names, files) {
            let hash = try cache?.sha256(of: file) ?? CheckpointHasher.sha256(reader: file.reader)
            lines.append("\(name) \(hash)\n")
        }
        let text = "pedigree-composite/1\n" + lines.sorted().joined()
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
