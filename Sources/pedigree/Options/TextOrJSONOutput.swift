import ArgumentParser
import PedigreeReports

/// `--format text|json`, for the commands whose result is a summary for people or a JSON
/// document for programs.
struct TextOrJSONOutput: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    var isJSON: Bool { format == .json }

    func validate() throws { try ReportFormat.check(format, allowed: ReportFormat.textOrJSON) }
}
