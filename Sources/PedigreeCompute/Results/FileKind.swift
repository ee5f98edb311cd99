/// What a compared file is, as compare results and reports name it.
public enum FileKind: String, Sendable, Codable, CaseIterable {
    /// One single-file checkpoint in the original (SGM) layout.
    case checkpoint
    /// One checkpoint split into shards.
    case sharded
    /// A Hugging Face diffusers folder, read through the layout table.
    case diffusers
    /// A Pedigree fingerprint: sampled columns, so figures carry intervals.
    case fingerprint
    /// A LoRA, compared unapplied or applied to a reference.
    case lora
    /// No file at all: a figure written by hand from a publication.
    case published
}

/// Where a baseline figure (two references against each other) comes from.
public enum BaselineSource: String, Sendable, Codable, CaseIterable {
    /// Measured in this pass over both files.
    case exact
    /// Measured on fingerprints' sampled columns.
    case sampled
    /// An earlier exact pass over the same two files, found by their SHA-256.
    case cache
    /// Written by hand from a publication.
    case published
}
