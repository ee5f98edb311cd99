/// The subset of CycloneDX 1.6 (JSON) that an ML-BOM for one checkpoint uses. Field names
/// are the specification's, spelled exactly (`bom-ref`, `specVersion`), so these types are
/// encoded with a plain encoder, never with a key-rewriting strategy.
/// Schema: CycloneDX/specification `schema/bom-1.6.schema.json`.
enum CycloneDX {
    struct BOM: Encodable {
        var bomFormat = "CycloneDX"
        var specVersion = "1.6"
        var serialNumber: String
        var version = 1
        var metadata: Metadata
    }

    struct Metadata: Encodable {
        var tools: Tools
        var component: Component
        var properties: [Property]?
    }

    struct Tools: Encodable {
        var components: [Component]
    }

    enum ComponentType: String, Encodable {
        case application
        case machineLearningModel = "machine-learning-model"
    }

    struct Component: Encodable {
        var type: ComponentType
        var bomRef: String?
        var name: String
        var version: String?
        var publisher: String?
        var description: String?
        var hashes: [Hash]?
        var licenses: [LicenseChoice]?
        var externalReferences: [ExternalReference]?
        var pedigree: Pedigree?
        var modelCard: ModelCard?
        var properties: [Property]?

        enum CodingKeys: String, CodingKey {
            case type, bomRef = "bom-ref", name, version, publisher, description, hashes, licenses
            case externalReferences, pedigree, modelCard, properties
        }

        init(type: ComponentType, bomRef: String? = nil, name: String, version: String? = nil, publisher: String? = nil,
             description: String? = nil, hashes: [Hash]? = nil, licenses: [LicenseChoice]? = nil,
             externalReferences: [ExternalReference]? = nil, pedigree: Pedigree? = nil, modelCard: ModelCard? = nil,
             properties: [Property]? = nil) {
            self.type = type
            self.bomRef = bomRef
            self.name = name
            self.version = version
            self.publisher = publisher
            self.description = description
            self.hashes = hashes
            self.licenses = licenses
            self.externalReferences = externalReferences
            self.pedigree = pedigree
            self.modelCard = modelCard
            self.properties = properties
        }
    }

    struct Hash: Encodable, Equatable {
        var alg = "SHA-256"
        var content: String
    }

    /// One entry of a `licenses` array (the array form, not an SPDX expression).
    struct LicenseChoice: Encodable {
        var license: License
    }

    enum Acknowledgement: String, Encodable {
        /// What the authors state: the manifest's licence, or an ancestor's published one.
        case declared
        /// What the analysis found reaches the weights: the inherited licences.
        case concluded
    }

    struct License: Encodable {
        /// An SPDX identifier, only when the policy gives one (none of the shipped ones do).
        var id: String?
        var name: String?
        var url: String?
        var acknowledgement: Acknowledgement
        var properties: [Property]?
    }

    struct ExternalReference: Encodable {
        var url: String
        var type: String
        var comment: String?
    }

    /// `component.pedigree`: where a component came from. `ancestors` for the lineage the
    /// audit concluded (or the maker declared), `variants` for models the weights resemble
    /// without a known relation — the specification's place for uncertain kinship.
    struct Pedigree: Encodable {
        var ancestors: [Component]?
        var variants: [Component]?
        var notes: String?
    }

    struct ModelCard: Encodable {
        struct Parameters: Encodable {
            var task: String
            var architectureFamily: String
        }

        struct Considerations: Encodable {
            var technicalLimitations: [String]
        }

        var modelParameters: Parameters
        var considerations: Considerations
    }

    struct Property: Encodable, Equatable {
        var name: String
        var value: String
    }
}
