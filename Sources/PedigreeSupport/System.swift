import Foundation

public enum System {
    /// Cores available to this process; the engine runs one worker per core.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The cores this process may really use: the CPUs its affinity mask allows
    /// (`sched_getaffinity`, read from `/proc/self/status`, so `taskset -c 0` means one), capped by a cgroup CPU quota
    /// (`/sys/fs/cgroup/cpu.max` in cgroup v2, `cpu.cfs_quota_us` / `cpu.cfs_period_us` in
    /// v1; a quota of 1.5 cores allows 2 jobs). At least 1. What `scan` and `worker` size
    /// their jobs to, and what bounds the SHA-256 streams run at once.
    public static let availableCores: Int = {
        var cores = affinityCount() ?? activeProcessorCount
        if let quota = cgroupQuotaCores() { cores = min(cores, quota) }
        return max(1, cores)
    }()

    /// CPUs in this process's affinity mask (what `sched_getaffinity` returns, which the
    /// kernel also shows as `Cpus_allowed` in `/proc/self/status`), nil where unreadable.
    static func affinityCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            return allowedCPUs(mask: String(line.dropFirst("Cpus_allowed:".count)))
        }
        return nil
    }

    /// The CPUs a `Cpus_allowed` mask allows (comma-separated 32-bit hex words, such as
    /// "3" or "ffffffff,00000001"); nil for none or unreadable text.
    public static func allowedCPUs(mask: String) -> Int? {
        var count = 0
        for word in mask.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",") {
            guard let bits = UInt64(word, radix: 16) else { return nil }
            count += bits.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }

    /// The cgroup's CPU quota in whole cores (rounded up), nil when there is none.
    static func cgroupQuotaCores() -> Int? {
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/cpu.max", encoding: .utf8) {
            return quotaCores(cpuMax: text)
        }
        if let quota = try? String(contentsOfFile: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", encoding: .utf8),
           let period = try? String(contentsOfFile: "/sys/fs/cgroup/cpu/cpu.cfs_period_us", encoding: .utf8) {
            return quotaCores(cpuMax: quota.trimmingCharacters(in: .whitespacesAndNewlines) + " " + period)
        }
        return nil
    }

    /// Reads cgroup v2's `cpu.max` ("QUOTA PERIOD", QUOTA "max" for none; v1's quota is -1
    /// for none): the quota in cores, rounded up; nil for no limit or unreadable text.
    public static func quotaCores(cpuMax text: String) -> Int? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 1, let quota = Double(fields[0]), quota > 0 else { return nil }
        let period = fields.count >= 2 ? Double(fields[1]) ?? 100_000 : 100_000
        guard period > 0 else { return nil }
        return max(1, Int((quota / period).rounded(.up)))
    }
}
