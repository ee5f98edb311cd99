import Foundation
import PedigreeSupport
import PedigreeYAML
import Yams

/// What `policy lint` says besides errors: YAML files in the policy folder the loader does not
/// read (so a model dropped at the top level is not silently ignored), and placeholders a
/// scaffold left that must be filled in. Warnings by default; `lint --strict` makes them errors.
public struct PolicyWarning: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A YAML file the loader skips; `belongs` says where it should go.
        case notLoaded(reason: String, belongs: String)
        /// A `TODO` (or a `https://todo.invalid/…` source) still in a policy file.
        case placeholder(text: String)
        /// An address whose host is not in classification.yaml's `source_hosts`.
        case sourceHost(host: String, url: String, allowed: [String])
    }

    public var kind: Kind
    public var location: SourceLocation

    /// Stable codes, in the policy family: PO015 file not loaded, PO016 placeholder left,
    /// PO020 a source on a host outside `source_hosts`.
    public var code: String {
        switch kind {
        case .notLoaded: "PO015"
        case .placeholder: "PO016"
        case .sourceHost: "PO020"
        }
    }

    /// The YAML key a placeholder line sets (`source` for `  - source: https://todo.invalid/x`).
    static func key(of line: String) -> String {
        var text = Substring(line)
        if text.hasPrefix("- ") { text = text.dropFirst(2) }
        guard let colon = text.firstIndex(of: ":"), !text[..<colon].contains(" ") else { return "(value)" }
        return String(text[..<colon])
    }

    /// File names and placeholder lines come from the files themselves: escaped.
    public var message: String { TerminalEscaping.escape(rawMessage) }

    var rawMessage: String {
        switch kind {
        case .notLoaded(let reason, let belongs): "\(location): (file): not loaded: \(reason); \(belongs)"
        case .placeholder(let text):
            "\(location): \(Self.key(of: text)): placeholder left by a scaffold: '\(text)'; replace it with the real value and its source"
        case .sourceHost(let host, let url, let allowed):
            "\(location): source: '\(url)' is on host '\(host)', which is not in classification.yaml's source_hosts (\(allowed.joined(separator: ", "))); cite the publisher's own address, or add the host to source_hosts"
        }
    }
}

public enum PolicyInventory {
    /// Folders with a known job. YAML in `tests/` (policy test cases) and `examples/`
    /// (release manifests) is expected and not a policy file.
    static let knownFolders: Set<String> = ["licences", "models", "schema", "tests", "examples", "fingerprints"]
    static let yamlOutsideLoaderAllowed: Set<String> = ["tests", "examples"]

    /// Every YAML file under `folder` that the loader does not read, with where it belongs.
    public static func unloadedFiles(in folder: String) -> [PolicyWarning] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var warnings: [PolicyWarning] = []
        while let next = walker.nextObject() as? String {
            let relative = next
            let name = (relative as NSString).lastPathComponent
            let parts = relative.split(separator: "/").map(String.init)
            if name.hasPrefix(".") || parts.first == "fingerprints" {
                walker.skipDescendants()  // hidden entries and binary fingerprints are not policy files
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            if PolicyFiles.isPolicyFile(relative) { continue }
            if parts.count == 2, yamlOutsideLoaderAllowed.contains(parts[0]), name.hasSuffix(".yaml") { continue }
            let path = PolicyLoader.join(folder, relative)
            let stem = name.hasSuffix(".yml") ? String(name.dropLast(4)) : String(name.dropLast(5))
            let kind = sniff(path)
            let reason: String
            if name.hasSuffix(".yml") {
                reason = "the '.yml' extension (policy files end in '.yaml')"
            } else if parts.count == 1 {
                reason = "a YAML file at the top of the policy folder"
            } else if !knownFolders.contains(parts[0]) {
                reason = "folder '\(parts[0])/' is not one the loader reads"
            } else {
                reason = "'\(parts.dropLast().joined(separator: "/"))/' is not read (only files directly in licences/ and models/ are)"
            }
            warnings.append(PolicyWarning(kind: .notLoaded(reason: reason, belongs: kind.belongs(stem: stem)),
                                          location: SourceLocation(file: path, line: 1, column: 1)))
        }
        return warnings.sorted { $0.location.file < $1.location.file }
    }

    /// A guess at what a stray file is, from its top-level keys.
    enum Guess {
        case licence, model, classification, testCases, manifest, unknown

        func belongs(stem: String) -> String {
            switch self {
            case .licence: "it looks like a licence: move it to licences/\(stem).yaml"
            case .model: "it looks like a base model: move it to models/\(stem).yaml"
            case .classification: "it looks like similarity bands: they belong in classification.yaml"
            case .testCases: "it looks like policy test cases: move it to tests/\(stem).yaml"
            case .manifest: "it looks like a release manifest: keep it outside the policy folder, or in examples/\(stem).yaml"
            case .unknown: "licences go in licences/<id>.yaml, base models in models/<id>.yaml"
            }
        }
    }

    static func sniff(_ path: String) -> Guess {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
              case .mapping(let mapping)? = try? Yams.compose(yaml: text) else { return .unknown }
        let keys = Set(mapping.keys.compactMap(\.string))
        if !keys.isDisjoint(with: ["obligations", "commercial_use", "derivatives", "extends"]) && !keys.contains("bases") { return .licence }
        if !keys.isDisjoint(with: ["parents", "prediction", "publisher"]) { return .model }
        if keys.contains("bands") { return .classification }
        if keys.contains("cases") { return .testCases }
        if !keys.isDisjoint(with: ["bases", "disclosures", "weights_published"]) { return .manifest }
        return .unknown
    }

    /// Placeholders left in the files a set was loaded from: `TODO` or a `todo.invalid` URL in a
    /// value (comments are ignored), one warning per line.
    public static func placeholders(in files: PolicyFiles) -> [PolicyWarning] {
        var warnings: [PolicyWarning] = []
        for path in files.contents.keys.sorted() {
            guard let text = String(data: files.contents[path]!, encoding: .utf8) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let value = stripComment(String(line))
                for marker in ["TODO", "todo.invalid"] {
                    guard let range = value.range(of: marker) else { continue }
                    let column = value.distance(from: value.startIndex, to: range.lowerBound) + 1
                    warnings.append(PolicyWarning(
                        kind: .placeholder(text: value.trimmingCharacters(in: .whitespaces)),
                        location: SourceLocation(file: PolicyLoader.join(files.displayRoot, path), line: index + 1, column: column)))
                    break
                }
            }
        }
        return warnings
    }

    /// Every http(s) address in a loaded licence or model file (comments ignored) whose host
    /// `hosts` does not admit, one warning per address. Nothing when no list is set.
    public static func sourceHosts(in files: PolicyFiles, allowed hosts: SourceHostList) -> [PolicyWarning] {
        guard !hosts.hosts.isEmpty else { return [] }
        var warnings: [PolicyWarning] = []
        for path in files.contents.keys.sorted() where path.hasPrefix(PolicyLoader.licencesFolder + "/") || path.hasPrefix(PolicyLoader.modelsFolder + "/") {
            guard let text = String(data: files.contents[path]!, encoding: .utf8) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let value = stripComment(String(line))
                for (column, url, host) in addresses(in: value) where !hosts.admits(host) {
                    warnings.append(PolicyWarning(kind: .sourceHost(host: host, url: url, allowed: hosts.hosts),
                                                  location: SourceLocation(file: PolicyLoader.join(files.displayRoot, path), line: index + 1, column: column)))
                }
            }
        }
        return warnings
    }

    /// The http(s) addresses in a line: 1-based column, the address, its host (lower-cased).
    static func addresses(in line: String) -> [(Int, String, String)] {
        var found: [(Int, String, String)] = []
        let characters = Array(line)
        var offset = 0
        let stops: Set<Character> = [" ", "\t", "\"", "'", ",", "]", "}", ">"]
        while offset < characters.count {
            let rest = String(characters[offset...])
            guard rest.hasPrefix("https://") || rest.hasPrefix("http://") else { offset += 1; continue }
            var end = offset
            while end < characters.count, !stops.contains(characters[end]) { end += 1 }
            let url = String(characters[offset..<end])
            let afterScheme = url.drop(while: { $0 != "/" }).dropFirst(2)
            let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let host = String(authority.split(separator: "@").last?.split(separator: ":").first ?? "").lowercased()
            found.append((offset + 1, url, host))
            offset = max(end, offset + 1)
        }
        return found
    }

    /// The part of a YAML line before a comment (`#` at the start or after a space).
    static func stripComment(_ line: String) -> String {
        var previous: Character = " "
        var inQuote: Character? = nil
        for (offset, char) in line.enumerated() {
            if let quote = inQuote { if char == quote { inQuote = nil } }
            else if char == "\"" || char == "'" { inQuote = char }
            else if char == "#" && (previous == " " || previous == "\t") { return String(line.prefix(offset)) }
            previous = char
        }
        return line
    }
}
