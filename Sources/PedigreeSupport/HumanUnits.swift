import Foundation

/// Sizes and durations as people read them in progress bars and command summaries.
public enum HumanUnits {
    /// "1.7 GB", "512 MB": decimal units, as disk and hub sizes are quoted.
    public static func bytes(_ value: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = value
        var unit = 0
        while v >= 1000, unit < units.count - 1 { v /= 1000; unit += 1 }
        return unit == 0 ? "\(Int(v)) B" : String(format: "%.1f %@", v, units[unit])
    }

    /// "1m05s", "12s".
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? String(format: "%dm%02ds", total / 60, total % 60) : "\(total)s"
    }
}
