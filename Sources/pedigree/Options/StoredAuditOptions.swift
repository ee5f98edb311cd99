import ArgumentParser

/// The options `scan` and `worker` share about audits whose results go to the store.
struct StoredAuditOptions: ParsableArguments {
    @Option(help: "Also write each audit's reports (Markdown, JSON, HTML, model card) into this folder.")
    var reportDir: String?

    @Flag(help: "Re-audit every file, even those stored under the same key.")
    var force = false
}
