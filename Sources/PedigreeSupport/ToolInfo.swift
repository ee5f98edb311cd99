/// Identity of this build of Pedigree, stamped into every report and fingerprint.
public enum ToolInfo {
    public static let name = "pedigree"
    public static let version = "0.1.0"
}
