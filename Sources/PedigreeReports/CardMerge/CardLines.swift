/// A text file as lines of bytes, so edits can keep every byte they do not touch: Swift's
/// `String` treats "\r\n" as one character and compares by canonical equivalence, neither
/// of which is byte-exact.
struct CardLines {
    struct Line {
        /// Byte range of the line including its line ending.
        var range: Range<Int>
        /// Byte range without the line ending ("\n" or "\r\n").
        var content: Range<Int>
    }

    let bytes: [UInt8]
    let lines: [Line]

    init(_ bytes: [UInt8], from start: Int = 0) {
        self.bytes = bytes
        var lines: [Line] = []
        var lineStart = start
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A {
                let contentEnd = index > lineStart && bytes[index - 1] == 0x0D ? index - 1 : index
                lines.append(Line(range: lineStart ..< index + 1, content: lineStart ..< contentEnd))
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count { lines.append(Line(range: lineStart ..< bytes.count, content: lineStart ..< bytes.count)) }
        self.lines = lines
    }

    func content(_ index: Int) -> ArraySlice<UInt8> { bytes[lines[index].content] }

    /// The line's text with trailing spaces and tabs removed.
    func trimmedText(_ index: Int) -> String {
        var slice = content(index)
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }

    func isBlank(_ index: Int) -> Bool { content(index).allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    /// A comment line at column one (`# …`), which belongs to no key's block.
    func isTopLevelComment(_ index: Int) -> Bool { content(index).first == UInt8(ascii: "#") }

    /// "\r\n" when the line ends so, else "\n": new lines follow the file's own convention.
    func lineEnding(_ index: Int) -> String {
        index < lines.count && lines[index].content.upperBound + 1 < lines[index].range.upperBound ? "\r\n" : "\n"
    }

    /// Whether the line has a line ending at all (the last line of a file may not).
    func hasLineEnding(_ index: Int) -> Bool { lines[index].content.upperBound < lines[index].range.upperBound }
}
