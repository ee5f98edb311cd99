import Foundation
import Testing

/// What the machine running the tests provides, and the rule for what is missing: on a
/// developer's machine a test whose external dependency is absent is skipped, with the
/// reason in the test output; under CI (`CI` set) it runs and fails, so nothing is skipped
/// silently where every dependency is installed on purpose.
public enum TestEnvironment {
    /// `CI` set to anything but empty, `0` or `false`.
    public static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return !["", "0", "false"].contains(value)
    }

    /// The first executable called one of `names` on `PATH` or in the usual system folders.
    public static func findExecutable(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin", "/snap/bin"]
        for name in names {
            if let found = folders.map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                return found
            }
        }
        return nil
    }
}

extension Trait where Self == ConditionTrait {
    /// A test or suite that runs Python with the oracle packages (`runPython`): a cross-check
    /// against independent tools, so of the heavy tier (`PEDIGREE_TEST_TIER=full`); there it
    /// is skipped when the environment cannot be built, unless `CI` is set. The quick tier
    /// never builds the environment (a fresh `swift test` downloads no PyTorch).
    public static var pythonOracle: Self {
        .enabled("a Python oracle check: runs in the heavy tier (PEDIGREE_TEST_TIER=full), where the environment (.build/oracle-venv, from Tests/oracle-requirements.txt) is built on first use; if it cannot be, the reason is printed above and in .build/oracle-venv.log, and with CI set the test fails instead") {
            TestTier.current == .full && PythonOracle.shouldRun
        }
    }

    /// A test that needs an external program: skipped with `reason` when `found` is false,
    /// unless `CI` is set, where it runs and fails.
    public static func requires(_ found: Bool, _ reason: Comment) -> Self {
        .enabled(if: found || TestEnvironment.isCI, reason)
    }
}
