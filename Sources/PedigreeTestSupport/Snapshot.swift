import Foundation

/// Byte-for-byte snapshot comparison for rendered text, without a third-party library.
///
/// Expected output lives in committed files; a test fails with a short diff when the
/// rendering changes. Setting `RECORD_SNAPSHOTS=1` rewrites the files instead, and still
/// fails every test it rewrote: a re-record is a deliberate act, reviewed as an ordinary
/// diff of the snapshot files, and can never pass a run by itself.
public enum Snapshot {
    /// True when the environment asks for snapshots to be (re)written.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// Compares `actual` with the file `name` in `directory`. Returns nil when they match;
    /// otherwise a message with the first differing lines, or, when recording, one saying
    /// which file was written.
    public static func mismatch(_ actual: String, named name: String, in directory: URL,
                                record: Bool = Snapshot.isRecording) -> String? {
        let file = directory.appendingPathComponent(name)
        if record {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file, options: .atomic)
                return "recorded snapshot \(file.path); review the diff, then run the tests again without RECORD_SNAPSHOTS"
            } catch {
                return "cannot record snapshot \(file.path): \(error)"
            }
        }
        guard let expectedData = FileManager.default.contents(atPath: file.path) else {
            return "no snapshot at \(file.path); run the tests with RECORD_SNAPSHOTS=1 to create it"
        }
        if expectedData == Data(actual.utf8) { return nil }
        let expected = String(decoding: expectedData, as: UTF8.self)
        return "snapshot \(name) differs (RECORD_SNAPSHOTS=1 rewrites it after review):\n" + diff(expected: expected, actual: actual)
    }

    /// A unified-style excerpt: a few lines of context, then the differing lines from the
    /// first difference on, capped so a wholesale change stays readable.
    public static func diff(expected: String, actual: String, context: Int = 2, limit: Int = 12) -> String {
        let old = expected.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        var first = 0
        while first < old.count, first < new.count, old[first] == new[first] { first += 1 }
        var out = ["--- expected", "+++ actual", "@@ line \(first + 1) @@"]
        for i in max(0, first - context) ..< first { out.append("  " + old[i]) }
        var shown = 0
        var i = first
        while shown < limit, i < max(old.count, new.count) {
            let o = i < old.count ? old[i] : nil
            let n = i < new.count ? new[i] : nil
            if o != n {
                if let o { out.append("- " + visible(o)) }
                if let n { out.append("+ " + visible(n)) }
                shown += 1
            } else if let o {
                out.append("  " + o)
            }
            i += 1
        }
        if i < max(old.count, new.count) { out.append("… (\(max(old.count, new.count) - i) more lines)") }
        return out.joined(separator: "\n")
    }

    /// Trailing spaces and control characters are invisible in a terminal; show them.
    private static func visible(_ line: String) -> String {
        var text = line.replacingOccurrences(of: "\u{1B}", with: "\\e").replacingOccurrences(of: "\r", with: "\\r")
        if text.hasSuffix(" ") { text += "⏎" }
        return text
    }
}
