import Foundation
import Synchronization

/// Receives progress from long work (hashing, comparing, generating). The core reports
/// through this protocol and never decides whether anything is drawn.
public protocol ProgressSink: Sendable {
    /// Called when the total amount of work is known.
    func begin(label: String, totalItems: Int, totalBytes: Int64)
    /// Called as work completes; `items` and `bytes` are increments.
    func advance(items: Int, bytes: Int64)
    /// Called once when the work is over, successfully or not.
    func finish()
}

/// Draws nothing. Used when stderr is not a terminal, and in tests.
public struct SilentProgress: ProgressSink {
    public init() {}
    public func begin(label: String, totalItems: Int, totalBytes: Int64) {}
    public func advance(items: Int, bytes: Int64) {}
    public func finish() {}
}

/// A one-line progress bar on standard error: items done, throughput and ETA.
/// Redraws at most ten times a second so that drawing never costs measurable time.
public final class TerminalProgressBar: ProgressSink {
    private struct State {
        var label = ""
        var totalItems = 0
        var totalBytes: Int64 = 0
        var items = 0
        var bytes: Int64 = 0
        var started = Date()
        var lastDraw = Date.distantPast
        var active = false
        var drawn = false
    }

    /// Work shorter than this shows no bar.
    static let delay: TimeInterval = 1

    private let state = Mutex(State())
    private let width = 28
    /// What the items are ("tensors" for one comparison, "files" for a scan).
    private let unit: String

    public init(unit: String = "tensors") { self.unit = unit }

    /// A bar when stderr is a terminal, silence otherwise.
    public static func forStderr() -> any ProgressSink {
        Terminal.stderrIsTerminal && !Terminal.isDumb ? TerminalProgressBar() : SilentProgress()
    }

    public func begin(label: String, totalItems: Int, totalBytes: Int64) {
        state.withLock { s in
            s = State(label: label, totalItems: totalItems, totalBytes: totalBytes, started: Date(), active: true)
        }
    }

    public func advance(items: Int, bytes: Int64) {
        let line: String? = state.withLock { s in
            s.items += items
            s.bytes += bytes
            let now = Date()
            // Nothing is drawn for work that ends within a second: a bar that flashes for a
            // fast comparison is noise.
            guard s.active, now.timeIntervalSince(s.started) >= Self.delay, now.timeIntervalSince(s.lastDraw) >= 0.1 else { return nil }
            s.drawn = true
            s.lastDraw = now
            return Self.render(s, width: width, unit: unit, now: now)
        }
        if let line { FileHandle.standardError.write(Data(("\r" + line).utf8)) }
    }

    /// Clears the bar's line: the terminal is left as it was found, for the report.
    public func finish() {
        let drawn: Bool = state.withLock { s in
            defer { s.active = false }
            return s.active && s.drawn
        }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    private static func render(_ s: State, width: Int, unit: String, now: Date) -> String {
        let fraction: Double = s.totalBytes > 0
            ? min(1, Double(s.bytes) / Double(s.totalBytes))
            : (s.totalItems > 0 ? min(1, Double(s.items) / Double(s.totalItems)) : 0)
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = max(now.timeIntervalSince(s.started), 1e-3)
        let rate = Double(s.bytes) / elapsed
        let eta = rate > 0 && s.totalBytes > s.bytes ? Double(s.totalBytes - s.bytes) / rate : 0
        return "\(s.label) \(bar) \(s.items)/\(s.totalItems) \(unit)  \(HumanUnits.bytes(Double(s.bytes))) of \(HumanUnits.bytes(Double(s.totalBytes)))  \(HumanUnits.bytes(rate))/s  ETA \(HumanUnits.duration(eta))  "
    }
}
