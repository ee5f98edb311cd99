import Foundation

/// Reports go to stdout; diagnostics go to stderr (see PedigreeSupport.Terminal).
func printReport(_ text: String) {
    // By byte: a CSV's "\r\n" is one Character, so hasSuffix("\n") would add a blank line.
    FileHandle.standardOutput.write(Data((text.utf8.last == UInt8(ascii: "\n") ? text : text + "\n").utf8))
}
