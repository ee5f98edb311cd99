/// Writes a `JSONValue` back as compact JSON text that `StrictJSONParser` reads to the same
/// value: members in order (duplicates kept), number literals verbatim, and every control
/// character escaped. Used to check the reader round-trips (fuzzing and property tests).
enum StrictJSONWriter {
    static func serialise(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let literal): out += literal
        case .string(let text): writeString(text, to: &out)
        case .array(let elements):
            out += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { out += "," }
                writeString(member.key, to: &out)
                out += ":"
                write(member.value, to: &out)
            }
            out += "}"
        }
    }

    /// The same string escaping the safetensors header writer uses.
    static func writeString(_ text: String, to out: inout String) {
        out += SafetensorsWriter.jsonString(text)
    }
}
