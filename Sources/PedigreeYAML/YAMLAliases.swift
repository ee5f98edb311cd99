import CYaml

/// Aliases are refused before Yams composes a document. Yams resolves `*name` to the
/// anchored node, so ten lines of nested aliases stand for 10^9 nodes: composing them is
/// cheap (shared storage), but hashing such a node as a mapping key (Yams's duplicate-key
/// check) or walking it is not, and a manifest from a stranger would hang Pedigree.
/// Pedigree's YAML never needs anchors, so the first alias is a located error, found by
/// libyaml's event parser in one streaming pass that allocates nothing per node.
enum YAMLAliases {
    /// Line and column (1-based) of the first alias in `text`, or nil when there is none
    /// (or when the text does not parse, which composing then reports with its own place).
    static func firstAlias(in text: String) -> (line: Int, column: Int)? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer -> (line: Int, column: Int)? in
            // SAFETY: libyaml reads `buffer` only during the parse calls below, inside this closure.
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_ALIAS_EVENT {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
                if event.type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }
}
