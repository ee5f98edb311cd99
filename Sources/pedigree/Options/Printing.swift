import Foundation

/// Reports go to stdout; diagnostics go to stderr (see PedigreeSupport.Terminal).
func printReport(_ text: String) {
    FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
