import ArgumentParser
import Foundation
import PedigreeAttest
import PedigreeSupport

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an Ed25519 key pair for signing attestations.",
        discussion: """
            Writes PREFIX.key (the private key, PKCS#8 PEM, readable by you alone: mode 0600) \
            and PREFIX.pub (the public key, SubjectPublicKeyInfo PEM), the formats OpenSSL \
            and Python's cryptography read. Publish the .pub file where people who download \
            your models can find it; keep the .key file secret. Prints the key id that \
            envelopes signed with it carry (SHA-256 of the public key bytes).

            Existing key files are never overwritten unless --force.

            EXAMPLES
              pedigree keygen -o maker
              pedigree keygen -o keys/release-2026 --force
            """)

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Path prefix of the two key files.", valueName: "prefix"))
    var prefix: String

    @Flag(help: "Overwrite existing key files.")
    var force = false

    func run() throws {
        let privatePath = prefix + ".key", publicPath = prefix + ".pub"
        if !force, let existing = [privatePath, publicPath].first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw ValidationError("\(existing) exists; use --force to replace the key pair (signatures made with the old key will no longer verify with the new one)")
        }
        let key = Ed25519Keys.generate()
        let secret = try AtomicOutput(path: privatePath, mode: 0o600)
        try secret.write(Ed25519Keys.privatePEM(key))
        try secret.commit()
        try AtomicFile.write(Ed25519Keys.publicPEM(key.publicKey), to: publicPath)
        printReport("""
            private key: \(privatePath) (mode 0600; keep it secret)
            public key:  \(publicPath)
            key id:      \(Ed25519Keys.keyID(key.publicKey))
            """)
    }
}
