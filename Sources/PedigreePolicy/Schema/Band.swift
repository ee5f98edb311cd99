/// The four ways Pedigree reads a similarity, after the seed article (README, "Method"):
/// the classifier's rules are written against these meanings, so a policy sets where each
/// band starts but cannot add or rename bands. Raw values are the reports' JSON spelling;
/// `policyId` is the spelling `classification.yaml` uses.
public enum Band: String, Sendable, Codable, CaseIterable, Comparable {
    case distant, largeDifference = "large_difference", fair, tooClose = "too_close"

    public var displayName: String {
        switch self {
        case .distant: "distant"
        case .largeDifference: "large difference"
        case .fair: "fair difference"
        case .tooClose: "too close"
        }
    }

    /// The id a policy's `bands[].id` names this band by.
    public var policyId: String {
        switch self {
        case .distant: "distant"
        case .largeDifference: "large-difference"
        case .fair: "fair"
        case .tooClose: "too-close"
        }
    }

    public init?(policyId: String) {
        guard let band = Band.allCases.first(where: { $0.policyId == policyId }) else { return nil }
        self = band
    }

    /// Closest first, the order `classification.yaml` lists them in.
    public static let closestFirst: [Band] = allCases.reversed()

    public static func < (a: Band, b: Band) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}
