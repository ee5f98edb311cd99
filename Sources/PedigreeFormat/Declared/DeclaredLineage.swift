/// Where in a file's `__metadata__` a lineage claim was read from. Each is a convention a
/// real tool writes (sources in research/realworld.md §5).
public enum DeclarationSource: String, Codable, Sendable, CaseIterable {
    /// ModelSpec's comma-separated list of the models merged (kohya and ComfyUI write it).
    case modelspecMergedFrom = "modelspec.merged_from"
    /// A1111's and supermerger's recipe: a JSON object naming the models by SHA-256.
    case webuiRecipe = "sd_merge_recipe"
    /// A1111's map from each merged model's SHA-256 to its name and own recipe.
    case webuiModels = "sd_merge_models"
    /// sd-mecha's serialized recipe (`version …`, `model "…"`, `merge "…"` lines).
    case mechaRecipe = "mecha_recipe"
    /// kohya's training base (`ss_sd_model_name`, `ss_new_sd_model_hash`, `ss_sd_model_hash`).
    case kohyaTraining = "ss_sd_model_name"
}

/// One model a file says it was made from.
public struct DeclaredModel: Codable, Sendable, Equatable, Hashable {
    public var source: DeclarationSource
    /// The model's part in the recipe as the tool named it ("primary", "model A", "training base").
    public var role: String
    /// The name as written (escaped for display, cut to a sane length), if any.
    public var name: String?
    /// Full SHA-256 of the model's file, lower-case hex, if the tool recorded one.
    public var sha256: String?
    /// A short hash: A1111's legacy 8-digit hash (AutoV1) or a 10-digit AutoV2.
    public var shortHash: String?

    public init(source: DeclarationSource, role: String, name: String? = nil, sha256: String? = nil, shortHash: String? = nil) {
        self.source = source
        self.role = role
        self.name = name
        self.sha256 = sha256
        self.shortHash = shortHash
    }
}

/// One merge step a recipe records: the method and its settings, as the tool wrote them.
public struct DeclaredMergeStep: Codable, Sendable, Equatable {
    public var source: DeclarationSource
    public var method: String
    /// Settings in the tool's own words ("multiplier=0.3", "alpha=0.5").
    public var settings: [String]

    public init(source: DeclarationSource, method: String, settings: [String]) {
        self.source = source
        self.method = method
        self.settings = settings
    }
}

/// What a checkpoint says about itself: ModelSpec's fields, the recipes merge tools embed,
/// kohya's training base, and the marker tensors of v-prediction releases. Claims, not
/// evidence: they are reported next to what the weights show, and where they disagree
/// that disagreement is a finding.
public typealias DeclaredLineage = DeclaredClaims<DeclaredModel>

/// The claims a file makes about itself, with its declared models as read (`DeclaredModel`)
/// or, once matched against the policies and the weights, as resolved (the lineage layer's
/// report): one set of fields, so the two cannot drift apart.
public struct DeclaredClaims<Model: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// ModelSpec's descriptive fields (`modelspec.title`, `author`, `license`,
    /// `architecture`, `prediction_type`), when present.
    public var title: String?
    public var author: String?
    public var licence: String?
    public var architecture: String?
    public var predictionType: String?
    /// Whether the file carries ModelSpec at all (`modelspec.sai_model_spec` or any `modelspec.` key):
    /// ModelSpec presumes a file without `merged_from` "uniquely trained rather than merged".
    public var hasModelspec: Bool
    public var models: [Model]
    public var steps: [DeclaredMergeStep]
    /// Tensor names that mark a kind of release (`v_pred`, `ztsnr`: NoobAI's v-prediction files carry them).
    public var markers: [String]
    /// Metadata values that were not read, and why (too long, nested too deep, not JSON…).
    public var notes: [String]

    public init(title: String? = nil, author: String? = nil, licence: String? = nil, architecture: String? = nil,
                predictionType: String? = nil, hasModelspec: Bool = false, models: [Model] = [],
                steps: [DeclaredMergeStep] = [], markers: [String] = [], notes: [String] = []) {
        self.title = title
        self.author = author
        self.licence = licence
        self.architecture = architecture
        self.predictionType = predictionType
        self.hasModelspec = hasModelspec
        self.models = models
        self.steps = steps
        self.markers = markers
        self.notes = notes
    }

    /// The same claims with their models replaced (each declared model resolved, say).
    public func withModels<Other>(_ models: [Other]) -> DeclaredClaims<Other> {
        DeclaredClaims<Other>(title: title, author: author, licence: licence, architecture: architecture, predictionType: predictionType,
                              hasModelspec: hasModelspec, models: models, steps: steps, markers: markers, notes: notes)
    }

    /// Whether the file says anything about where its weights came from: a ModelSpec block
    /// (whose silence on `merged_from` is itself a claim), a recipe or a training base.
    public var declaresLineage: Bool { hasModelspec || !models.isEmpty || !steps.isEmpty }

    /// Nothing to report.
    public var isEmpty: Bool {
        !declaresLineage && markers.isEmpty && notes.isEmpty && title == nil && author == nil && licence == nil
            && architecture == nil && predictionType == nil
    }
}
