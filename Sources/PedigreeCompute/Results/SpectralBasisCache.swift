import Foundation
import PedigreeSupport
import Synchronization

/// The spectral bases of reference pairs (issue 12), cached by the two files' SHA-256: a
/// pair's randomized SVDs are computed once, and every later candidate audited against the
/// same two references reads them back.
///
/// One binary file per pair and method, `spectral/<D>-<A>-<method>.bin` under the cache
/// folder (D, A: the first 32 hex digits of the descendant's and the ancestor's SHA-256).
/// Layout, little-endian: magic `PDSPEC01`, u32 tensor count, then per tensor u16 name
/// length, the UTF-8 name, u32 rows, u32 cols, u32 rank, then rank f32 singular values,
/// rows·rank f32 of U and cols·rank f32 of V (row-major, as `SpectralBasis`).
///
/// A cache never fails a command: a file that is damaged (short, wrong magic, a size that
/// does not add up, a non-finite value) or disagrees with the tensor asked for is ignored
/// (noted in `damage`) and recomputed; writes go to a temporary file renamed into place
/// under an exclusive `flock` on a sibling `.lock`, so concurrent runs never leave half a
/// file. Only pairs whose bases take at most `maxBytes` are stored (at full SDXL size
/// rank-256 bases are ~4 GB, more than the cache should hold).
public final class SpectralBasisCache: Sendable {
    public static let method = "rsvd-p\(SpectralBasis.oversample)-q\(SpectralBasis.powerIterations)-v2"
    static let magic = Array("PDSPEC01".utf8)
    public static let maxBytes = 1 << 30

    let folder: String
    private let notes = Mutex<String?>(nil)

    public init(folder: String = CacheFolder.path()) {
        self.folder = folder + "/spectral"
    }

    /// Why a cache file was ignored, if one was damaged.
    public var damage: String? { notes.withLock { $0 } }

    func path(descendant: String, ancestor: String) -> String {
        "\(folder)/\(descendant.lowercased().prefix(32))-\(ancestor.lowercased().prefix(32))-\(Self.method).bin"
    }

    /// The stored bases of a pair by tensor name; empty when none or damaged.
    func load(descendant: String, ancestor: String) -> [String: SpectralBasis.Stored] {
        let file = path(descendant: descendant, ancestor: ancestor)
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        if let bases = Self.decode(data) { return bases }
        notes.withLock { $0 = "\(file): spectral cache file is damaged (\(data.count) bytes); ignored, it will be rebuilt" }
        return [:]
    }

    func store(_ bases: [String: SpectralBasis.Stored], descendant: String, ancestor: String) {
        guard !bases.isEmpty else { return }
        let file = path(descendant: descendant, ancestor: ancestor)
        let data = Self.encode(bases)
        guard data.count <= Self.maxBytes else { return }
        exclusively(file) { try? AtomicFile.write(data, to: file) }
    }

    /// Runs `body` holding an exclusive `flock` on `file`'s sibling `.lock`, so that two runs
    /// storing the same pair do not interleave (each write is a rename of a whole file).
    func exclusively(_ file: String, _ body: () -> Void) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lockDescriptor = open(file + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lockDescriptor >= 0 {
            while flock(lockDescriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer {
            if lockDescriptor >= 0 { flock(lockDescriptor, LOCK_UN); close(lockDescriptor) }
        }
        body()
    }

    /// Records why a cache file was ignored.
    func noteDamage(_ note: String) { notes.withLock { $0 = note } }

    static func encode(_ bases: [String: SpectralBasis.Stored]) -> Data {
        var out = Data(magic)
        func u32(_ x: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: x).littleEndian) { out.append(contentsOf: $0) } }
        func floats(_ values: [Float]) {
            let little = UInt32(1).littleEndian == 1 ? values : values.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
            little.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        u32(bases.count)
        for name in bases.keys.sorted() {
            let entry = bases[name]!
            let utf8 = Array(name.utf8)
            withUnsafeBytes(of: UInt16(truncatingIfNeeded: utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: utf8)
            u32(entry.rows)
            u32(entry.cols)
            u32(entry.basis.rank)
            floats(entry.basis.s)
            floats(entry.basis.u)
            floats(entry.basis.v)
        }
        return out
    }

    /// nil when anything does not add up; every size is checked against the bytes left
    /// before anything is allocated.
    static func decode(_ data: Data) -> [String: SpectralBasis.Stored]? {
        let bytes = [UInt8](data)  // one copy, indexed from 0 whatever `data`'s indices
        var offset = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= bytes.count - offset else { return nil }
            defer { offset += n }
            return bytes[offset ..< offset + n]
        }
        func u32() -> Int? {
            take(4).map { s in s.reversed().reduce(0) { $0 << 8 | Int($1) } }
        }
        func floats(_ count: Int) -> [Float]? {
            guard count >= 0, count <= (bytes.count - offset) / 4, let slice = take(4 * count) else { return nil }
            var result = [Float](repeating: 0, count: count)
            result.withUnsafeMutableBytes { out in
                slice.withUnsafeBytes { raw in
                    // SAFETY: `out` holds count·4 bytes and `raw` exactly 4·count (take(4·count)).
                    out.copyMemory(from: raw)
                }
            }
            // The file is little-endian, as every host Pedigree builds for.
            if UInt32(1).littleEndian != 1 { result = result.map { Float(bitPattern: $0.bitPattern.byteSwapped) } }
            return result.allSatisfy { $0.isFinite } ? result : nil
        }
        guard take(magic.count).map(Array.init) == magic, let count = u32(), count <= bytes.count / 14 else { return nil }
        var result: [String: SpectralBasis.Stored] = [:]
        for _ in 0 ..< count {
            guard let length = take(2).map({ Int($0.first!) | Int($0.last!) << 8 }), let nameBytes = take(length),
                  let name = String(bytes: nameBytes, encoding: .utf8),
                  let rows = u32(), let cols = u32(), let rank = u32(),
                  rank <= min(rows, cols),
                  rows.multipliedReportingOverflow(by: rank).overflow == false,
                  cols.multipliedReportingOverflow(by: rank).overflow == false,
                  let s = floats(rank), let u = floats(rows * rank), let v = floats(cols * rank),
                  result[name] == nil else { return nil }
            result[name] = SpectralBasis.Stored(rows: rows, cols: cols, basis: SpectralBasis(rank: rank, u: u, s: s, v: v))
        }
        return offset == bytes.count ? result : nil
    }
}

extension SpectralBasis {
    /// A basis with the tensor geometry it was computed for (checked on reuse).
    public struct Stored: Sendable {
        public var rows: Int
        public var cols: Int
        public var basis: SpectralBasis
    }
}
