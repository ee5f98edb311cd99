import Foundation
import PedigreeTestSupport

/// The scan catalogue's three references and first `count` uploads at width ÷32, copied from the
/// shared fixture cache (`FamilyCache`); uploads go under `uploads/`, apart from the references.
enum Catalogue {
    static let references = ["sdxl-base-1.0", "illustrious-xl-v0.1", "noobai-xl-eps-1.0"]
    /// 20 uploads in the full tier; 8 in the quick one, where a debug build scans them (every
    /// fourth is a planted NoobAI merge either way).
    static let count = TestTier.current == .full ? 20 : 8
    static let uploads = (0 ..< count).map { String(format: "upload-%02d", $0) }

    static let directory: TemporaryDirectory = {
        do {
            let dir = FamilyCache.copy(recipe: "Scripts/recipes/scan-catalogue.yaml", models: references + uploads, only: references + uploads)
            try FileManager.default.createDirectory(atPath: dir.file("uploads"), withIntermediateDirectories: true)
            for name in uploads {
                try FileManager.default.moveItem(atPath: dir.file("\(name).safetensors"), toPath: dir.file("uploads/\(name).safetensors"))
            }
            return dir
        } catch { fatalError("\(error)") }
    }()

    static var uploadsFolder: String { directory.file("uploads") }

    static var refArgs: [String] { references.flatMap { ["--ref", "\($0)=\(directory.file("\($0).safetensors"))"] } }

    static var environment: [String: String] { ["PEDIGREE_CACHE_DIR": directory.file("cache")] }

    /// A `pedigree` child process started (not waited for), for kill tests.
    static func start(_ args: [String], environment extra: [String: String] = [:], stderrFile: String? = nil) throws -> Process {
        try startPedigree(args, environment: Catalogue.environment.merging(extra) { $1 }, stderrFile: stderrFile)
    }

    /// Waits up to `seconds` for `condition`, polling every 20 ms.
    static func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }
}

/// The parts of a stored result that must not depend on how it was produced (one process,
/// a resumed scan, two workers): per candidate hash, the verdict, base and inheritance.
struct ResultFacts: Hashable {
    let sha256: String
    let verdict: String
    let likelyBase: String?
    let inherits: [String]

    /// From `pedigree results --format json`.
    static func parse(_ json: String) throws -> [ResultFacts] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let results = object?["results"] as? [[String: Any]] ?? []
        return results.map { r in
            ResultFacts(sha256: r["candidate_sha256"] as? String ?? "", verdict: r["verdict"] as? String ?? "",
                        likelyBase: r["likely_base"] as? String, inherits: r["inherits_from"] as? [String] ?? [])
        }
    }
}
