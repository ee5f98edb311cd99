import PedigreeSupport
import PedigreeYAML

/// Where a card's YAML front matter is and how its top level divides into key blocks.
///
/// Found the way `huggingface_hub` finds it: optional leading whitespace, a `---` line, the
/// YAML, and the first following `---` line. Each top-level key owns the lines from its key
/// to the next key, less trailing blank and comment lines (which stay where they are), so
/// a key can be replaced or added without re-serialising, and so without changing, any
/// other key's text.
struct FrontMatter {
    struct Block {
        var key: String
        /// Line indexes (in `CardLines`) of the key line through its last value line.
        var lines: ClosedRange<Int>
        var value: YAMLNode
    }

    /// The `---` lines that open and close it.
    let open: Int
    let close: Int
    let blocks: [Block]

    /// Finds the front matter of `card`; nil when the card has none. Lines are 0-based here,
    /// 1-based in messages.
    static func locate(_ card: CardLines, path: String) throws(CardError) -> (open: Int, close: Int)? {
        guard let first = card.lines.indices.first(where: { !card.isBlank($0) }), card.trimmedText(first) == "---" else {
            return nil
        }
        guard let close = card.lines.indices.dropFirst(first + 1).first(where: { card.trimmedText($0) == "---" }) else {
            throw .unclosedFrontMatter(path: path, line: first + 1)
        }
        return (first, close)
    }

    /// Reads the YAML between `open` and `close` and divides it into top-level blocks.
    init(_ card: CardLines, open: Int, close: Int, path: String) throws(CardError) {
        self.open = open
        self.close = close
        let yamlLines = open + 1 ..< close
        let text = yamlLines.isEmpty ? "" : String(decoding: card.bytes[card.lines[yamlLines.lowerBound].range.lowerBound ..< card.lines[close].range.lowerBound], as: UTF8.self)
        // YAML line 1 is the line after the opening `---`.
        let offset = open + 1
        let root: YAMLNode?
        do { root = try YAMLDocument.compose(text, file: path) } catch {
            throw .invalidYAML(path: path, line: error.location.line + offset, column: error.location.column,
                               field: error.field, rule: error.rule)
        }
        guard let root, !root.isNull else {
            self.blocks = []
            return
        }
        let mapping: YAMLMapping
        do { mapping = try root.mapping() } catch {
            if case .wrongType = error.kind { throw .notAMapping(path: path, line: offset + 1) }
            throw .invalidYAML(path: path, line: error.location.line + offset, column: error.location.column,
                               field: error.field, rule: error.rule)
        }
        // Key lines, 0-based in the card. A top-level key of a block mapping starts at column 1;
        // anything else (a flow mapping, a complex `? key`) has no line-wise blocks to edit.
        var starts: [(key: String, line: Int, value: YAMLNode)] = []
        for entry in mapping.entries {
            let location = entry.keyNode.location
            guard location.column == 1 else {
                throw .unsupportedLayout(path: path, line: location.line + offset, reason: "top-level key '\(TerminalEscaping.excerpt(entry.key))' does not start a line")
            }
            let line = location.line - 1 + offset
            if let previous = starts.last, previous.line >= line {
                throw .unsupportedLayout(path: path, line: line + 1, reason: "two top-level keys share a line")
            }
            starts.append((entry.key, line, entry.value))
        }
        var blocks: [Block] = []
        for (index, start) in starts.enumerated() {
            var last = (index + 1 < starts.count ? starts[index + 1].line : close) - 1
            while last > start.line, card.isBlank(last) || card.isTopLevelComment(last) { last -= 1 }
            blocks.append(Block(key: start.key, lines: start.line ... last, value: start.value))
        }
        self.blocks = blocks
    }

    func block(_ key: String) -> Block? { blocks.first { $0.key == key } }
}
