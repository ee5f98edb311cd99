import ArgumentParser
import Foundation
import PedigreeAttest
import PedigreeFormat
import PedigreeReports
import PedigreeSupport

struct Attest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign an in-toto attestation that ties an audit to a checkpoint.",
        discussion: """
            Writes a DSSE envelope (Ed25519, payload type application/vnd.in-toto+json) \
            holding an in-toto Statement v1 whose subject is FILE's SHA-256 and whose \
            predicate is the audit report itself (predicate type \
            https://pedigree.invalid/attestation/audit/v1, the report's bytes unchanged) or, \
            with --predicate cyclonedx, its CycloneDX 1.6 ML-BOM (https://cyclonedx.org/bom).

            FILE must be the audited checkpoint or a stamped copy of it (`pedigree stamp`); \
            anything else is refused, so an audit is never signed onto a file it did not \
            examine. Check an envelope with `pedigree verify`.

            EXAMPLES
              pedigree attest Reports/my-merge.json upload/my-merge.safetensors --key maker.key -o upload/my-merge.intoto.json
              pedigree attest audit.json my-merge.safetensors --key maker.key --predicate cyclonedx -o my-merge.cdx.intoto.json
            """)

    enum PredicateOption: String, ExpressibleByArgument, CaseIterable { case audit, cyclonedx }

    @Argument(help: "The audit report (JSON, from `pedigree audit`).")
    var audit: String

    @Argument(help: "The checkpoint the attestation is about (the audited file or its stamped copy).")
    var file: String

    @Option(help: ArgumentHelp("The Ed25519 private key (PEM, from `pedigree keygen`).", valueName: "key"))
    var key: String

    @Option(help: "What the statement carries: audit (the report) or cyclonedx (its ML-BOM).")
    var predicate: PredicateOption = .audit

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the envelope (JSON).")
    var output: String

    @Option(help: "The policy folder, for the BOM's licence names and base-model hashes (default: Policies/ if found).")
    var policies: String?

    func run() throws {
        let document = try AuditDocument.load(path: audit)
        let signingKey = try Ed25519Keys.readPrivate(path: key)
        let checkpoint = try SafetensorsFile(path: file)
        let hashes = try CheckpointHasher.hash(file: checkpoint, progress: TerminalProgressBar.forStderr())
        let link = try AuditLink.check(fileSHA256: hashes.sha256, dataSHA256: hashes.autov3, metadata: checkpoint.header.metadata,
                                       audit: document, auditPath: audit, filePath: file)
        var annotations = ["pedigree.autov3": hashes.autov3, "pedigree.link": link.rawValue]
        annotations["pedigree.audited_sha256"] = document.candidate.sha256
        annotations["pedigree.audit_sha256"] = document.sourceDigest
        let subject = InTotoStatement.Subject(name: URL(fileURLWithPath: file).lastPathComponent, sha256: hashes.sha256, annotations: annotations)
        let kind: InTotoStatement.Predicate = predicate == .audit ? .audit : .cyclonedx
        let body = kind == .audit ? document.sourceBytes : Data(CycloneDXRenderer(policies: try optionalPolicies(policies)).render(document).utf8)
        let statement = try InTotoStatement.render(subject: subject, predicate: kind, predicateJSON: body)
        let envelope = try DSSE.sign(payload: statement, payloadType: InTotoStatement.payloadType, key: signingKey)
        try AtomicFile.write(envelope, to: output)
        printReport(AttestationSummaryText.render(output: output, subject: subject, link: link, predicate: kind, audit: document,
                                                  keyID: Ed25519Keys.keyID(signingKey.publicKey)))
    }
}
