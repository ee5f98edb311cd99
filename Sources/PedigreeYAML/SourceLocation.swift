/// A place in a YAML file, printed as `file:line:column` so editors and terminals can jump
/// straight to it. Lines and columns count from 1, as libyaml reports them.
public struct SourceLocation: Codable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
