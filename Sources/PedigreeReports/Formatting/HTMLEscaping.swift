/// Every string that comes from a report passes through here before it reaches HTML or
/// SVG, in text and in attribute values alike.
enum HTMLEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where character.isASCII && (character.asciiValue ?? 32) < 32 && character != "\n" && character != "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
