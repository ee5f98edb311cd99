import PedigreeYAML

/// How attribution shares become a verdict (the `attribution:` and `delta_rule:` sections of
/// classification.yaml). None of these numbers lives in code: the defaults below are the
/// shipped file's values, used only when a policy folder has no classification.yaml.
public struct AttributionSettings: Codable, Equatable, Sendable {
    public struct BlockGroup: Codable, Equatable, Sendable {
        public var id: String
        /// Block names as Pedigree reports them (`unet.input_blocks.7`), or prefixes ending
        /// at a dot boundary (`unet.output_blocks`).
        public var blocks: [String]
        public init(id: String, blocks: [String]) {
            self.id = id
            self.blocks = blocks
        }
    }

    /// A reference is inherited when the low end of a 95% interval of its share — for the
    /// whole model, a component or a block group — is at or above this.
    public var minimumShare: Double
    /// The share an independent fine-tune trained on similar data may show without
    /// inheriting (the null the minimum is calibrated against); must be below the minimum.
    public var nullShare: Double
    /// At or above this share of a reference's change: a fine-tune of it; below: a merge.
    public var fineTuneShare: Double
    public var blockGroups: [BlockGroup]
    /// The de-minimis floor on copied structure (issue 26): a reference is inherited when the
    /// low end of a 95% interval of the candidate's share of its change beyond the dominant
    /// directions (`CopiedStructure`) is at or above this, and above the null observed on an
    /// independent sibling. Set by measured noise (storage rounding, sampling), not by the
    /// size of honest look-alikes, which carry none of that part.
    public var copiedFloor: Double
    /// The least coherence (agreement between tensors, in [0, 1]) an exact-axis share needs
    /// to count as copied structure: a copy carries the same share of every tensor's top
    /// singular pairs; a look-alike's coordinates scatter (`CopiedStructure`).
    public var exactCoherence: Double

    public init(minimumShare: Double, nullShare: Double, fineTuneShare: Double, blockGroups: [BlockGroup],
                copiedFloor: Double = AttributionSettings.defaultCopiedFloor,
                exactCoherence: Double = AttributionSettings.defaultExactCoherence) {
        self.copiedFloor = copiedFloor
        self.exactCoherence = exactCoherence
        self.minimumShare = minimumShare
        self.nullShare = nullShare
        self.fineTuneShare = fineTuneShare
        self.blockGroups = blockGroups
    }

    /// The shipped floor (classification.yaml `copied_floor`), used when a policy folder omits it.
    public static let defaultCopiedFloor = 0.02
    /// The shipped coherence (classification.yaml `exact_coherence`).
    public static let defaultExactCoherence = 0.3

    private static func blocks(_ stem: String, _ range: ClosedRange<Int>) -> [String] { range.map { "\(stem).\($0)" } }

    public static let `default` = AttributionSettings(
        minimumShare: 0.175, nullShare: 0.15, fineTuneShare: 0.85,
        blockGroups: [
            BlockGroup(id: "unet-input-shallow", blocks: blocks("unet.input_blocks", 0 ... 3)),
            BlockGroup(id: "unet-input-deep", blocks: blocks("unet.input_blocks", 4 ... 8)),
            BlockGroup(id: "unet-middle", blocks: ["unet.middle_block"]),
            BlockGroup(id: "unet-output-deep", blocks: blocks("unet.output_blocks", 0 ... 4)),
            BlockGroup(id: "unet-output-shallow", blocks: blocks("unet.output_blocks", 5 ... 8) + ["unet.out"]),
            BlockGroup(id: "unet-embeddings", blocks: ["unet.time_embed", "unet.label_emb"]),
        ])

    static let keys = ["minimum_share", "null_share", "fine_tune_share", "block_groups", "copied_floor", "exact_coherence"]

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> AttributionSettings {
        let object = try node.object(allowed: keys)
        func share(_ key: String) throws(YAMLIssue) -> Double {
            let valueNode = try object.required(key)
            let value = try valueNode.double()
            guard value > 0, value <= 1 else { throw valueNode.issue(.invalidValue("\(key) must be in (0, 1]")) }
            return value
        }
        let minimum = try share("minimum_share")
        let null = try share("null_share")
        if null >= minimum {
            throw try object.required("null_share").issue(.invalidValue("null_share must be below minimum_share (\(minimum)): the minimum is calibrated to clear the null"))
        }
        let fineTune = try share("fine_tune_share")
        if fineTune <= minimum {
            throw try object.required("fine_tune_share").issue(.invalidValue("fine_tune_share must be above minimum_share (\(minimum))"))
        }
        var floor = defaultCopiedFloor
        if let floorNode = object.optional("copied_floor") {
            floor = try floorNode.double()
            guard floor > 0, floor < minimum else {
                throw floorNode.issue(.invalidValue("copied_floor must be in (0, minimum_share): it is set by measured noise, below any share a merge is planted at"))
            }
        }
        var coherence = defaultExactCoherence
        if let coherenceNode = object.optional("exact_coherence") {
            coherence = try coherenceNode.double()
            guard coherence > 0, coherence < 1 else { throw coherenceNode.issue(.invalidValue("exact_coherence must be in (0, 1)")) }
        }
        var groups: [BlockGroup] = []
        for item in try object.required("block_groups").sequence() {
            let group = try item.object(allowed: ["id", "blocks"])
            let id = try group.required("id").identifier()
            if groups.contains(where: { $0.id == id }) { throw try group.required("id").issue(.invalidValue("duplicate block group id '\(id)'")) }
            let blocksNode = try group.required("blocks")
            let blocks = try blocksNode.strings()
            if blocks.isEmpty { throw blocksNode.issue(.invalidValue("a block group names at least one block")) }
            for block in blocks where !Self.isBlockName(block) {
                throw blocksNode.issue(.invalidValue("'\(block)' is not a block name (unet…, clip_l…, clip_g…, vae…, other)"))
            }
            groups.append(BlockGroup(id: id, blocks: blocks))
        }
        return AttributionSettings(minimumShare: minimum, nullShare: null, fineTuneShare: fineTune, blockGroups: groups, copiedFloor: floor, exactCoherence: coherence)
    }

    /// A block name or dot-bounded prefix of one, as `BlockNaming` writes them.
    static func isBlockName(_ text: String) -> Bool {
        let stems = ["unet", "clip_l", "clip_g", "vae", "other"]
        guard let first = text.split(separator: ".", omittingEmptySubsequences: false).first,
              stems.contains(String(first)) else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } && !text.hasSuffix(".") && !text.contains("..")
    }
}

/// Reading of the older per-edge delta figures, for compare results written before
/// attribution existed (they carry `deltas` but no `attribution`).
public struct DeltaRuleSettings: Codable, Equatable, Sendable {
    /// Carrying at least this share of a descendant's change means descent from it.
    public var carriesShare: Double
    /// …provided the candidate's change points the descendant's way at least this much.
    public var minimumCosine: Double
    public var fullShare: Double

    public init(carriesShare: Double, minimumCosine: Double, fullShare: Double) {
        self.carriesShare = carriesShare
        self.minimumCosine = minimumCosine
        self.fullShare = fullShare
    }

    public static let `default` = DeltaRuleSettings(carriesShare: 0.30, minimumCosine: 0.30, fullShare: 0.85)

    public static func read(from node: YAMLNode) throws(YAMLIssue) -> DeltaRuleSettings {
        let object = try node.object(allowed: ["carries_share", "minimum_cosine", "full_share"])
        func unit(_ key: String) throws(YAMLIssue) -> Double {
            let valueNode = try object.required(key)
            let value = try valueNode.double()
            guard value > 0, value <= 1 else { throw valueNode.issue(.invalidValue("\(key) must be in (0, 1]")) }
            return value
        }
        return DeltaRuleSettings(carriesShare: try unit("carries_share"), minimumCosine: try unit("minimum_cosine"), fullShare: try unit("full_share"))
    }
}
