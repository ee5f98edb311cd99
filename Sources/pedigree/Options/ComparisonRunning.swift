import PedigreeCompute
import PedigreePolicy
import PedigreeStore
import PedigreeSupport

/// What the commands that compare weights share once their options are parsed: the LoRA
/// base choice, the CLI's caches (damage noted once on stderr) and the progress bar.
extension ComparisonOptions {
    /// Runs one comparison (`audit`, `compare`).
    func run(_ request: ComparisonRequest, policies: PolicySet?) throws -> CompareResult {
        var request = request
        request.loraBase = try loraBase(candidate: request.candidate, references: request.references, policies: policies)
        let spectral = CLICaches.spectral()
        let result = try Comparison.run(
            request, hashCache: CLICaches.hashes(), baselineCache: CLICaches.baselines(), spectralCache: spectral,
            progress: TerminalProgressBar.forStderr())
        CLICaches.noteDamage(spectral.damage)
        return result
    }

    /// The set-up of many audits against the same references (`scan`, `worker`).
    func auditContext(policies: PolicySet, reportDir: String?, workersPerAudit: Int) throws -> AuditContext {
        try AuditContext(
            policies: policies, references: try resolvedReferences(policies), filter: filter,
            reportDir: reportDir, workersPerAudit: workersPerAudit,
            hashCache: CLICaches.hashes(), baselineCache: CLICaches.baselines(),
            spectralCache: CLICaches.spectral(), spectralBudget: spectralBudget)
    }
}
