/// The audit's answer. A release passes when every inherited obligation that applies to it
/// is met and no finding is an error; anything else fails. Only the command line turns a
/// verdict into an exit status.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass, fail

    /// The word banners lead with.
    public var word: String { rawValue.uppercased() }

    /// A symbol that says the same, so colour is never the only signal.
    public var mark: String { self == .pass ? "✓" : "✗" }
}
