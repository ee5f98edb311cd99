import Foundation
import PedigreePolicy
import PedigreeTestSupport

/// The shipped policy set, loaded once for the lineage tests.
enum ShippedPolicies {
    static let set: PolicySet = {
        let folder = packageRoot().appendingPathComponent("Policies").path
        switch PolicyLoader.load(folder: folder) {
        case .success(let set): return set
        case .failure(let problems): fatalError("shipped policies must load: \(problems)")
        }
    }()
}
