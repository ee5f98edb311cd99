/// Reports are attached to model uploads: they name files by file name and hash, not by
/// where they sat on the auditor's disk (`/home/<user>/…`). `--local-paths` keeps them.
extension AuditReport {
    public func withFileNamesOnly() -> AuditReport {
        var copy = self
        copy.candidate.path = Self.fileName(candidate.path)
        copy.references = references.map { reference in
            var named = reference
            named.path = reference.path.map(Self.fileName)
            return named
        }
        copy.release?.manifestPath = Self.fileName(release?.manifestPath ?? "")
        copy.policySet?.path = policySet?.path.map(Self.fileName)
        copy.comparedOutsidePolicies = comparedOutsidePolicies?.map { reference in
            var named = reference
            named.path = Self.fileName(reference.path)
            return named
        }
        return copy
    }

    /// The last component of a path: how published reports name a file.
    public static func fileName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
