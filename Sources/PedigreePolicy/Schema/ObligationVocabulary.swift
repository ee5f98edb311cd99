/// The obligation ids a licence file may use: the shared vocabulary of the research notes
/// (Policies/SOURCES.md, "Obligation ids"), plus `open-source-derivatives` and `attribution`,
/// which the shipped licences use for NoobAI's and Illustrious's wording. An id outside it
/// is a typo or a new duty; `policy lint` refuses it (PO018) so a new duty is added here,
/// with its meaning, before a licence uses it.
public enum ObligationVocabulary {
    public static let ids: [String] = [
        "include-license-copy", "use-restrictions-flowdown", "use-based-restrictions", "state-changes",
        "retain-notices", "attribution", "source-availability", "network-source-offer",
        "same-license-for-derivatives", "open-source-derivatives", "no-exclusivity", "share-recipe",
        "share-prompts-workflows", "no-commercial-use", "no-monetized-inference", "no-closed-monetization",
        "output-unrestricted", "cure-period-30d", "remote-restriction-right", "remote-update-output-modification",
        "use-latest-version", "no-trademark", "patent-termination", "agpl-alternative-nonmodel",
    ]

    public static func contains(_ id: String) -> Bool { ids.contains(id) }
}
