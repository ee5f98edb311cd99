import Foundation

public enum System {
    /// Cores available to this process; the engine runs one worker per core.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
