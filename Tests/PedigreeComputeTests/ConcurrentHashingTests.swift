import PedigreeCompute
import PedigreeFormat
import PedigreeSupport
import PedigreeTestSupport
import Testing

/// Issue 34: new files are hashed concurrently (one SHA-256 stream each, bounded by the
/// cores), and the cores are counted the way the kernel limits them. Nothing here times
/// anything: the streams in flight are counted.
@Suite struct ConcurrentHashingTests {
    @Test func aFirstComparisonAgainstFourNewReferencesHashesThemConcurrently() throws {
        let dir = try TemporaryDirectory()
        try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 1))], to: dir.file("candidate.safetensors"))
        var references: [ComparisonRequest.Reference] = []
        for index in 0 ..< 4 {
            let path = dir.file("ref\(index).safetensors")
            try SyntheticFiles.write([(1, SyntheticFiles.component(seed: 1)), (Float(index + 1) * 0.3, SyntheticFiles.component(seed: UInt64(10 + index)))], to: path)
            references.append(.init(id: "ref\(index)", path: path))
        }
        let limit = Comparison.hashStreamLimit
        let rendezvous = Rendezvous()
        let gauge = StreamGauge(onEnter: { _ in if limit >= 2 { rendezvous.arrive() } })
        // No hash cache: every file is new and is hashed.
        let result = try Comparison.run(ComparisonRequest(candidate: dir.file("candidate.safetensors"), references: references),
                                        hashCache: nil, hashStreams: gauge)
        #expect(gauge.total == 5)
        if limit >= 2 {
            #expect(gauge.peak >= 2)
        } else {
            #expect(gauge.peak == 1)
        }
        #expect(gauge.peak <= limit)
        // The same hashes as one stream at a time gives.
        for (identity, reference) in zip(result.references, references) {
            let file = try SafetensorsFile(path: reference.path)
            #expect(identity.sha256 == (try CheckpointHasher.sha256(reader: file.reader)))
        }
        let candidate = try SafetensorsFile(path: dir.file("candidate.safetensors"))
        #expect(result.candidate.sha256 == (try CheckpointHasher.sha256(reader: candidate.reader)))
    }

    @Test func boundedMapKeepsOrderStaysUnderItsLimitAndRethrows() throws {
        let gauge = StreamGauge()
        let squares = try BoundedConcurrency.map(Array(0 ..< 20), limit: 3) { _, value in gauge.measure { value * value } }
        #expect(squares == (0 ..< 20).map { $0 * $0 })
        #expect(gauge.total == 20)
        #expect(gauge.peak <= 3)
        struct Boom: Error, Equatable { let index: Int }
        #expect(throws: Boom(index: 2)) {
            _ = try BoundedConcurrency.map(Array(0 ..< 6), limit: 2) { index, _ in if index == 2 || index == 4 { throw Boom(index: index) } }
        }
    }

    @Test func coresFollowTheAffinityMaskAndTheCgroupQuota() {
        #expect(System.quotaCores(cpuMax: "max 100000\n") == nil)
        #expect(System.quotaCores(cpuMax: "200000 100000\n") == 2)
        #expect(System.quotaCores(cpuMax: "150000 100000") == 2)
        #expect(System.quotaCores(cpuMax: "50000 100000") == 1)
        #expect(System.quotaCores(cpuMax: "-1 100000") == nil)
        #expect(System.allowedCPUs(mask: "3\n") == 2)
        #expect(System.allowedCPUs(mask: "ffffffff,00000001") == 33)
        #expect(System.allowedCPUs(mask: "0") == nil)
        #expect(System.availableCores >= 1)
        #expect(Comparison.hashStreamLimit >= 1 && Comparison.hashStreamLimit <= 4)
    }
}
