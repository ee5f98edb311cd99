import ArgumentParser
import Foundation
import PedigreeAttest
import PedigreeFormat
import PedigreeReports
import PedigreeSupport

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a signed attestation against a checkpoint and the maker's public key.",
        discussion: """
            Checks that ENVELOPE (from `pedigree attest`) is signed by the key in --key, that \
            FILE's SHA-256 is the subject of the statement it holds, and, with \
            --policy-digest, that the audit was judged by that policy set (the \
            policy_set.digest of the audit JSON). Prints each check and the attested verdict.

            Exit status: 0 when every check passes, 1 when the signature, the file's digest or \
            the policy set does not match, 2 when an input is unreadable or malformed.

            EXAMPLES
              pedigree verify upload/my-merge.intoto.json upload/my-merge.safetensors --key maker.pub
              pedigree verify my-merge.cdx.intoto.json my-merge.safetensors --key maker.pub --format json
            """)

    @Argument(help: "The DSSE envelope (JSON).")
    var envelope: String

    @Argument(help: "The checkpoint it should attest.")
    var file: String

    @Option(help: ArgumentHelp("The signer's Ed25519 public key (PEM).", valueName: "pub"))
    var key: String

    @Option(help: ArgumentHelp("Require this policy-set digest (hex, or sha256:hex).", valueName: "digest"))
    var policyDigest: String?

    @OptionGroup var formatOption: TextOrJSONOutput

    func validate() throws {
        if let digest = policyDigest {
            let hex = digest.lowercased().hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { throw ValidationError("--policy-digest must be 64 hex digits (optionally prefixed sha256:)") }
        }
    }

    func run() throws {
        let publicKey = try Ed25519Keys.readPublic(path: key)
        let bytes = try readInput(envelope, limit: DSSE.maxEnvelopeBytes)
        let digest = try CheckpointHasher.sha256(reader: FileReader(path: file), progress: TerminalProgressBar.forStderr())
        let result = try Verification.verify(envelope: bytes, path: envelope, key: publicKey, fileSHA256: digest, policySetDigest: policyDigest)
        printReport(formatOption.isJSON ? VerificationText.json(result) : VerificationText.text(result, file: file))
        if !result.valid { throw ExitCode(1) }
    }
}
