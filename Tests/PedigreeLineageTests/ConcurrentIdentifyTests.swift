import Foundation
import PedigreeFormat
import PedigreeLineage
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// Issue 34 for `pedigree identify`: new files are hashed side by side, one SHA-256 stream
/// each up to the limit, in the paths' order, and a bad file's error stays in its own slot.
/// Nothing is timed: the streams in flight are counted.
@Suite struct ConcurrentIdentifyTests {
    func file(_ dir: TemporaryDirectory, _ index: Int) throws -> String {
        let data = SafetensorsBytes.filler(4 * 64, seed: UInt8(index))
        let header = SafetensorsBytes.header(SafetensorsBytes.entry("w", "F32", [64], 0, data.count))
        return try dir.write(SafetensorsBytes.make(header: header, data: data), to: "file\(index).safetensors")
    }

    @Test func fourNewFilesAreHashedConcurrentlyInTheirOrder() throws {
        let dir = try TemporaryDirectory()
        let paths = try (0 ..< 4).map { try file(dir, $0) }
        let rendezvous = Rendezvous()
        let gauge = StreamGauge(onEnter: { _ in rendezvous.arrive() })
        let outcomes = FileIdentifier.identifyAll(paths: paths, policies: ShippedPolicies.set, cache: nil, limit: 4, hashStreams: gauge)
        #expect(gauge.total == 4)
        #expect(gauge.peak >= 2 && gauge.peak <= 4)
        for (path, outcome) in zip(paths, outcomes) {
            let identified = try outcome.get()
            #expect(identified.path == path)
            #expect(identified.sha256 == (try CheckpointHasher.sha256(reader: SafetensorsFile(path: path).reader)))
        }
    }

    @Test func oneStreamAtATimeUnderALimitOfOne() throws {
        let dir = try TemporaryDirectory()
        let paths = try (0 ..< 3).map { try file(dir, $0) }
        let gauge = StreamGauge()
        let outcomes = FileIdentifier.identifyAll(paths: paths, policies: ShippedPolicies.set, cache: nil, limit: 1, hashStreams: gauge)
        #expect(gauge.peak == 1 && gauge.total == 3)
        #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
    }

    @Test func aBadFileKeepsItsErrorInItsSlot() throws {
        let dir = try TemporaryDirectory()
        let good = try file(dir, 0)
        let bad = try dir.write(Array("not a checkpoint".utf8), to: "bad.safetensors")
        let outcomes = FileIdentifier.identifyAll(paths: [bad, good], policies: ShippedPolicies.set, cache: nil, limit: 2)
        #expect(outcomes.count == 2)
        #expect(throws: (any Error).self) { try outcomes[0].get() }
        #expect((try? outcomes[1].get())?.path == good)
    }
}
