import PedigreeSupport

/// `--jobs`' default for `scan` and `worker`: the cores the process may use (affinity and
/// cgroup quota respected), within the option's 1…64.
enum JobCount {
    static var `default`: Int { min(64, max(1, System.availableCores)) }
}
