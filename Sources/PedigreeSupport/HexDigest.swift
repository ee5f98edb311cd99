/// The one spelling of a SHA-256 that Pedigree accepts from a file it did not write
/// itself: 64 lowercase hexadecimal digits, as `sha256sum` and Hugging Face print it.
public enum HexDigest {
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30 ... 0x39).contains($0) || (0x61 ... 0x66).contains($0) }
    }
}
