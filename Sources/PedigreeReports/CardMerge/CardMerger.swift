import Foundation
import PedigreeSupport
import PedigreePolicy
import PedigreeYAML

/// Updates a Hugging Face model card (README.md) from an audit:
///
/// - the front matter gets `license`, `license_name`, `license_link`, `base_model`,
///   `base_model_relation` and Pedigree's tags, each replacing that key's block in place or
///   added at the end; every other byte of the front matter is kept;
/// - the body gets a "Licence and lineage" section between stable markers, replaced in
///   place when present, appended otherwise; every other byte of the body is kept;
/// - a card with no front matter gets one.
///
/// Merging the result again with the same audit gives the same bytes.
public struct CardMerger: Sendable {
    public static let maxBytes = 16 << 20

    public var policies: PolicySet?

    public init(policies: PolicySet?) { self.policies = policies }

    public func merge(_ data: Data, path: String, audit: AuditDocument) throws(CardError) -> Data {
        guard data.count <= Self.maxBytes else { throw .tooLarge(path: path, limit: Self.maxBytes) }
        guard String(data: data, encoding: .utf8) != nil else { throw .notUTF8(path: path) }
        let bytes = [UInt8](data)
        let bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let card = CardLines(bytes, from: bomLength)
        var out = Array(bytes[0 ..< bomLength])
        let bodyStart: Int
        let newline: String
        var expected: [String: CardValues.Value?]
        var keptKeys: [String] = []

        if let (open, close) = try FrontMatter.locate(card, path: path) {
            let frontMatter = try FrontMatter(card, open: open, close: close, path: path)
            newline = card.lineEnding(open)
            let values = CardValues(audit: audit, existingTags: try existingTags(frontMatter, path: path))
            expected = values.values
            keptKeys = frontMatter.blocks.map(\.key).filter { values.values[$0] == nil }
            var replaced: [(lines: ClosedRange<Int>, text: String)] = []
            var appended = ""
            for key in CardValues.ownedOrder {
                guard let entry = values.values[key] else { continue }
                let text = entry.map { CardValues.render(key: key, $0, newline: newline) } ?? ""
                if let block = frontMatter.block(key) { replaced.append((block.lines, text)) } else { appended += text }
            }
            var line = 0
            while line < close {
                if let edit = replaced.first(where: { $0.lines.lowerBound == line }) {
                    out += Array(edit.text.utf8)
                    line = edit.lines.upperBound + 1
                } else {
                    out += card.bytes[card.lines[line].range]
                    line += 1
                }
            }
            out += Array(appended.utf8)
            out += card.bytes[card.lines[close].range]
            if !card.hasLineEnding(close) { out += Array(newline.utf8) }
            bodyStart = card.lines[close].range.upperBound
        } else {
            newline = card.lines.isEmpty ? "\n" : card.lineEnding(0)
            let values = CardValues(audit: audit, existingTags: [])
            expected = values.values
            out += Array("---\(newline)".utf8)
            for key in CardValues.ownedOrder {
                if let entry = values.values[key], let value = entry { out += Array(CardValues.render(key: key, value, newline: newline).utf8) }
            }
            out += Array("---\(newline)".utf8)
            bodyStart = bomLength
        }
        out += try mergedBody(bytes, from: bodyStart, path: path, newline: newline, audit: audit)
        try check(out, path: path, expected: expected, kept: keptKeys)
        return Data(out)
    }

    /// The body with the lineage section replaced between its markers, or appended.
    private func mergedBody(_ bytes: [UInt8], from start: Int, path: String, newline: String, audit: AuditDocument) throws(CardError) -> [UInt8] {
        let body = CardLines(bytes, from: start)
        let section = Array(LineageSection(audit: audit, policies: policies).render(newline: newline).utf8)
        let begins = body.lines.indices.filter { body.trimmedText($0) == LineageSection.begin }
        let ends = body.lines.indices.filter { body.trimmedText($0) == LineageSection.end }
        // A body line count is 1-based in messages, counted from the start of the file.
        let lineOffset = CardLines(bytes).lines.firstIndex { $0.range.lowerBound >= start } ?? 0
        switch (begins.count, ends.count) {
        case (0, 0):
            var out = Array(bytes[start...])
            if out.isEmpty { return section }
            if out.last != 0x0A { out += Array(newline.utf8) }
            return out + Array(newline.utf8) + section
        case (1, 1) where begins[0] < ends[0]:
            var out = Array(bytes[start ..< body.lines[begins[0]].range.lowerBound])
            out += section
            let after = body.lines[ends[0]].range.upperBound
            // Keep whatever followed the end marker; a marker on the last line without a
            // line ending gets one from the section.
            out += bytes[after...]
            return out
        default:
            let line = (begins.first ?? ends.first ?? 0) + lineOffset + 1
            throw .markers(path: path, line: line, reason: "expected one '\(LineageSection.begin)' line followed by one '\(LineageSection.end)' line, found \(begins.count) and \(ends.count); fix the markers by hand")
        }
    }

    private func existingTags(_ frontMatter: FrontMatter, path: String) throws(CardError) -> [String] {
        guard let block = frontMatter.block("tags") else { return [] }
        let node = block.value
        if node.isNull { return [] }
        if let text = try? node.string() { return [text] }
        do { return try node.strings() } catch {
            throw .wrongType(path: path, line: block.lines.lowerBound + 1, key: "tags", expected: "a list of strings")
        }
    }

    /// Reads the result back: the owned keys hold the new values and no other key was lost.
    private func check(_ out: [UInt8], path: String, expected: [String: CardValues.Value?], kept: [String]) throws(CardError) {
        let card = CardLines(out, from: out.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0)
        let frontMatter: FrontMatter
        do throws(CardError) {
            guard let (open, close) = try FrontMatter.locate(card, path: path) else { throw CardError.mergeBroke(path: path, reason: "no front matter") }
            frontMatter = try FrontMatter(card, open: open, close: close, path: path)
        } catch { throw .mergeBroke(path: path, reason: error.message) }
        for key in kept where frontMatter.block(key) == nil {
            throw .mergeBroke(path: path, reason: "key '\(TerminalEscaping.excerpt(key))' would be lost")
        }
        for (key, value) in expected {
            guard let value else {
                if frontMatter.block(key) != nil { throw .mergeBroke(path: path, reason: "'\(key)' would remain") }
                continue
            }
            guard let node = frontMatter.block(key)?.value else { throw .mergeBroke(path: path, reason: "'\(key)' would be missing") }
            let readBack: CardValues.Value? = switch value {
            case .scalar: (try? node.string()).map { .scalar($0) }
            case .list: (try? node.strings()).map { .list($0) }
            }
            if readBack != value { throw .mergeBroke(path: path, reason: "'\(key)' does not read back as written") }
        }
    }
}
