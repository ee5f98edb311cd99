import Foundation
import PedigreeReports
import PedigreeTestSupport
import Testing

/// The HTML report opened in a real browser engine: headless Chromium must load it, draw
/// it, and find the verdict and the charts in the DOM. CI installs Chromium with
/// `apt-get install -y chromium` (.ci/run). Without it the test is skipped with that advice
/// in the test output, except under CI (`CI` set), where it fails rather than pass silently.
@Suite("HTML in headless Chromium", .serialized, .heavy,
       .requires(Chromium.path != nil, Chromium.missing))
struct HTMLChromiumTests {
    static func chromium() throws -> String { try #require(Chromium.path, Chromium.missing) }

    @Test(arguments: ["noob-merge", "clean-finetune", "unknown-lineage"])
    func rendersWithVerdictAndCharts(_ name: String) throws {
        let browser = try Self.chromium()
        let report = try #require(Fixtures.all.first { $0.name == name }?.report)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pedigree-html-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("\(name).html")
        try Data(HTMLRenderer().render(report).utf8).write(to: page)
        let screenshot = folder.appendingPathComponent("\(name).png")

        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                      "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--window-size=1200,2000"]
        let shot = try runProcess(browser, common + ["--screenshot=\(screenshot.path)", page.absoluteString])
        #expect(shot.status == 0, "chromium --screenshot failed: \(shot.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot is \(size) bytes")

        // Keep a copy for a person to look at when asked (PEDIGREE_KEEP_SCREENSHOTS=folder).
        if let keep = ProcessInfo.processInfo.environment["PEDIGREE_KEEP_SCREENSHOTS"] {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            let target = URL(fileURLWithPath: keep).appendingPathComponent("\(name).png")
            try? FileManager.default.removeItem(at: target)
            try? FileManager.default.copyItem(at: screenshot, to: target)
            let keptPage = URL(fileURLWithPath: keep).appendingPathComponent("\(name).html")
            try? FileManager.default.removeItem(at: keptPage)
            try? FileManager.default.copyItem(at: page, to: keptPage)
        }

        let dom = try runProcess(browser, common + ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr)")
        #expect(dom.stdout.contains(report.outcome.verdict.word + ":"))
        #expect(dom.stdout.contains("<svg"))
        #expect(dom.stdout.contains("How to read this"))
    }
}

/// Where the browser is, looked up once (the suite's condition and each test both ask).
enum Chromium {
    static let path = TestEnvironment.findExecutable(["chromium", "chromium-browser", "google-chrome"])
    static let missing: Comment = "Chromium is not installed: run `apt-get update && apt-get install -y chromium` (CI does this in .ci/run)"
}
