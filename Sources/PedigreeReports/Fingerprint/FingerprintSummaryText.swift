import Foundation
import PedigreeCompute
import PedigreeSupport

/// What `pedigree fingerprint` prints once the file is written: its size against the
/// checkpoint's, and the spectral sample's when it carries one.
public enum FingerprintSummaryText {
    public static func render(_ summary: FingerprintWriter.Summary) -> String {
        var line = "wrote \(summary.path): \(summary.tensors) tensors, \(part(bytes: summary.bytes, fraction: summary.fraction))"
        if let ancestor = summary.spectralAncestor {
            line += "\n  spectral sample against \(ancestor): \(summary.spectralTensors) tensors, "
                + part(bytes: summary.spectralBytes, fraction: summary.spectralFraction)
        }
        return line
    }

    /// "27.5 MB (0.40% of the checkpoint)".
    private static func part(bytes: Int64, fraction: Double) -> String {
        "\(HumanUnits.bytes(Double(bytes))) (\(String(format: "%.2f", fraction * 100))% of the checkpoint)"
    }
}
