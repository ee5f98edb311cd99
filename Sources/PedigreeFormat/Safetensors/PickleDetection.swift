/// Recognises pickle-based checkpoints (`torch.save` zips and raw pickles) so they are
/// refused with the reason, never parsed: unpickling runs code chosen by the file's author.
enum PickleDetection {
    static let pickleExtensions: Set<String> = ["ckpt", "pt", "pth", "bin", "pkl", "pickle"]

    /// The reason a path looks pickle-based from its name alone, or nil.
    static func reasonFromExtension(_ path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        return pickleExtensions.contains(ext) ? ".\(ext) files are PyTorch pickles" : nil
    }

    /// The reason the first bytes look pickle-based, or nil.
    static func reasonFromMagic(_ prefix: [UInt8]) -> String? {
        if prefix.count >= 4, prefix[0] == 0x50, prefix[1] == 0x4B, prefix[2] == 0x03, prefix[3] == 0x04 {
            return "zip archive, as written by torch.save"
        }
        if prefix.count >= 2, prefix[0] == 0x80, (2 ... 5).contains(prefix[1]) {
            return "pickle protocol \(prefix[1]) stream"
        }
        return nil
    }
}
