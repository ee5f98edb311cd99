import Foundation
import PedigreeFormat
import PedigreeSupport

/// Reference-versus-reference similarities, cached by the two files' SHA-256 (the seed article
/// hard-coded these numbers; Pedigree computes them and remembers them).
///
/// Every exact comparison stores its baselines. A later comparison of the same two
/// references from fingerprints (where the pass itself can only estimate them) reports
/// the cached exact figure instead, marked `source: cache`. Keys include the tensor
/// filter, so a VAE-included figure never stands in for a VAE-excluded one.
public final class BaselineCache: Sendable {
    private struct Entry: Codable, Sendable {
        var meanCosine: Double
        var parameterWeightedCosine: Double
        var components: [GroupFigures]
    }

    private let store: JSONFileStore<Entry>

    /// Set when the cache file was damaged and has been ignored (see `JSONFileStore`).
    public var damage: String? { store.damage }

    public init(folder: String = CacheFolder.path()) {
        store = JSONFileStore(path: folder + "/baselines.json")
    }

    static func key(_ a: String, _ b: String, filter: TensorFilter) -> String {
        let pair = [a, b].sorted().joined(separator: "+")
        return pair + "|include=" + filter.include.joined(separator: ",") + "|exclude=" + filter.exclude.joined(separator: ",")
    }

    /// Stores the exact baselines of `result` and fills sampled ones from the cache.
    func reconcile(_ result: inout CompareResult, filter: TensorFilter) {
        let hashes = Dictionary(uniqueKeysWithValues: result.references.compactMap { ref in ref.sha256.map { (ref.id, $0) } })
        var exact: [(key: String, value: Entry)] = []
        for index in result.baselines.indices {
            let baseline = result.baselines[index]
            guard let a = hashes[baseline.a], let b = hashes[baseline.b] else { continue }
            let key = Self.key(a, b, filter: filter)
            if result.mode == .exact {
                exact.append((key, Entry(meanCosine: baseline.meanCosine, parameterWeightedCosine: baseline.parameterWeightedCosine, components: baseline.components)))
            } else if let cached = store[key] {
                result.baselines[index].meanCosine = cached.meanCosine
                result.baselines[index].parameterWeightedCosine = cached.parameterWeightedCosine
                result.baselines[index].components = cached.components
                result.baselines[index].source = .cache
            }
        }
        store.set(exact)
    }
}
