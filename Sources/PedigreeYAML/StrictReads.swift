import Yams

/// Typed reads that take YAML's own typing at its word. `string()` and `double()` are lenient
/// on purpose for policy prose (`version: 1.0` is text); these are for values that become names,
/// keys and seeds, where a quoted `"2"` or a bare `yes` is more likely a slip than a choice.
extension YAMLNode {
    /// A scalar that YAML types as a string (plain or quoted); numbers, booleans and null are refused.
    public func strictString() throws(YAMLIssue) -> String {
        guard case .scalar(let scalar) = node, tagName == Tag.Name.str.rawValue else {
            throw issue(.wrongType(expected: "a string", found: typeName))
        }
        return scalar.string
    }

    /// An unquoted integer or float that is neither infinite nor NaN.
    public func finiteDouble() throws(YAMLIssue) -> Double {
        guard case .scalar = node, tagName == Tag.Name.int.rawValue || tagName == Tag.Name.float.rawValue,
              let value = node.float, value.isFinite else {
            throw issue(.wrongType(expected: "a finite number", found: typeName))
        }
        return value
    }

    /// An unquoted decimal integer in 0...UInt64.max (seeds use the full 64 bits, beyond `Int`).
    public func uint64() throws(YAMLIssue) -> UInt64 {
        guard case .scalar(let scalar) = node, tagName == Tag.Name.int.rawValue, let value = UInt64(scalar.string) else {
            throw issue(.wrongType(expected: "a non-negative whole number", found: typeName))
        }
        return value
    }
}
