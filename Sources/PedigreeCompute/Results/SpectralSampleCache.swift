import Foundation
import PedigreeFormat
import PedigreeSupport

/// A reference pair's spectral sample (`SpectralSample`), cached beside its bases.
///
/// Why: at full size a pair's rank-256 bases are ~4 GB, more than the cache keeps, and the
/// exact ⟨c, L_k⟩ of every tensor costs ~2·10¹² operations and three more whole-file reads
/// per audit. The sample — the same seeded 1/128 of each tensor's rows of A, D and L_k a
/// fingerprint carries, about 4% of a checkpoint — is what an audit against the two full
/// checkpoints then reads instead (`SpectralAttribution`), so once a pair's basis has been
/// computed, every later audit measures the un-merge for the price of reading the
/// candidate's sampled rows.
///
/// Stored as a safetensors file in the fingerprint's spectral layout
/// (`spectral/<D>-<A>-sample-v<version>.safetensors`), read back through
/// `SpectralSampleLayout` with every shape checked against the descendant's own shapes. A
/// file that fails those checks, or names another pair, is ignored and rebuilt.
extension SpectralBasisCache {
    static let descendantKey = "pedigree.spectral.descendant_sha256"

    /// A pair's sample as stored: its layout and the file its rows are read from.
    public struct StoredSample: Sendable {
        public let layout: SpectralSampleLayout
        public let file: SafetensorsFile

        /// One tensor's sampled rows; nil when the sample does not hold that tensor.
        func rows(of name: String) throws -> SpectralSample.Rows? { try layout.rows(of: name, file: file) }
    }

    func samplePath(descendant: String, ancestor: String) -> String {
        "\(folder)/\(descendant.lowercased().prefix(32))-\(ancestor.lowercased().prefix(32))-sample-v\(SpectralSample.version).safetensors"
    }

    /// The pair's stored sample, checked against `shapes` (the descendant's tensors), the
    /// width divisor and row seed the caller samples with, and holding every tensor of
    /// `covering`; nil when there is none, or it is damaged, of another pair or sampling,
    /// or lacks a tensor (then it is made again, for the tensors asked for).
    func loadSample(descendant: String, ancestor: String, shapes: [String: [Int]], divisor: Int, seed: UInt64,
                    covering names: [String]) -> StoredSample? {
        let file = samplePath(descendant: descendant, ancestor: ancestor)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            let opened = try SafetensorsFile(path: file)
            let meta = opened.header.metadata
            guard meta[Self.descendantKey] == descendant.lowercased(),
                  let layout = try SpectralSampleLayout(header: opened.header, path: file, shapes: shapes),
                  layout.ancestorSHA256 == ancestor.lowercased(), layout.divisor == divisor, layout.seed == seed else {
                noteDamage("\(file): spectral sample cache file is of another pair or sampling; ignored, it will be rebuilt")
                return nil
            }
            guard Set(layout.tensorNames).isSuperset(of: names) else { return nil }
            return StoredSample(layout: layout, file: opened)
        } catch {
            noteDamage("\(file): spectral sample cache file is damaged; ignored, it will be rebuilt")
            return nil
        }
    }

    /// Stores a pair's sample (made from the two checkpoints whose SHA-256 it records).
    func storeSample(_ build: SpectralSampleBuild) {
        guard HexDigest.isSHA256(build.descendantSHA256), HexDigest.isSHA256(build.ancestorSHA256), !build.tensors.isEmpty else { return }
        let file = samplePath(descendant: build.descendantSHA256, ancestor: build.ancestorSHA256)
        var metadata = SpectralSampleWriting.metadata(build)
        metadata[Self.descendantKey] = build.descendantSHA256.lowercased()
        let tensors = build.tensors.sorted { $0.name < $1.name }
        exclusively(file) {
            do {
                let writer = try SafetensorsWriter(
                    path: file, entries: tensors.flatMap { SpectralSampleWriting.entries($0, stored: build.storedTypes[$0.name] ?? .f32) },
                    metadata: metadata)
                for rows in tensors { try SpectralSampleWriting.append(rows, stored: build.storedTypes[rows.name] ?? .f32, to: writer) }
                try writer.finish()
            } catch {
                // A cache never fails a command: the sample is made again next time.
                noteDamage("\(file): the spectral sample could not be cached (\(error))")
            }
        }
    }
}
