import Crypto
import Foundation
import PedigreeCompute
import PedigreeLineage
import PedigreePolicy
import PedigreeSupport

/// An audit as a CycloneDX 1.6 ML-BOM (JSON): the checkpoint as a `machine-learning-model`
/// component with its SHA-256, the licences that reach it (`concluded`) and the one the
/// maker chose (`declared`), the inherited bases as `pedigree.ancestors` (with the hashes
/// the policies record), and models the weights merely resemble as `pedigree.variants`.
///
/// Deterministic: no timestamp, and the serial number is derived from the audit's bytes, so
/// the same audit gives the same BOM. Policies are optional; without them ancestors are
/// named by id and carry no hashes.
public struct CycloneDXRenderer: Sendable {
    public static let mediaType = "application/vnd.cyclonedx+json"
    /// Property names this renderer writes, in the `pedigree:` namespace.
    public enum PropertyName {
        public static let policySetDigest = "pedigree:policy_set.digest"
        public static let auditSHA256 = "pedigree:audit.sha256"
        public static let verdict = "pedigree:verdict"
    }

    public var policies: PolicySet?

    public init(policies: PolicySet?) { self.policies = policies }

    public func render(_ audit: AuditDocument) -> String {
        let encoder = PedigreeJSON.encoder(keys: .asDeclared)
        // Every value is a string, integer or boolean, so encoding cannot fail.
        let data = (try? encoder.encode(bom(audit))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func bom(_ audit: AuditDocument) -> CycloneDX.BOM {
        let tool = CycloneDX.Component(type: .application, name: audit.tool?.name ?? ToolInfo.name,
                                       version: audit.tool?.version ?? ToolInfo.version)
        var auditProperties = [CycloneDX.Property(name: PropertyName.auditSHA256, value: audit.sourceDigest)]
        if let digest = audit.policySet?.digest.hex {
            auditProperties.append(.init(name: PropertyName.policySetDigest, value: digest))
        }
        return CycloneDX.BOM(
            serialNumber: Self.serialNumber(for: audit),
            metadata: CycloneDX.Metadata(tools: .init(components: [tool]), component: model(audit), properties: auditProperties))
    }

    /// The audited checkpoint.
    func model(_ audit: AuditDocument) -> CycloneDX.Component {
        let name = audit.release?.name ?? URL(fileURLWithPath: audit.candidate.path).lastPathComponent
        var licences = audit.inheritedLicences.map { licence($0, .concluded) }
        if let chosen = audit.release?.licence { licences.append(licence(chosen, .declared)) }
        let ancestors = ancestorIds(audit).map { ancestor($0.id, basis: $0.basis, audit: audit) }
        let variants = variantReferences(audit).map { variant($0, audit: audit) }
        var properties: [CycloneDX.Property] = [
            .init(name: PropertyName.verdict, value: audit.verdict.word),
            .init(name: "pedigree:lineage.status", value: audit.lineage.status.rawValue),
        ]
        if let relation = audit.lineage.relation { properties.append(.init(name: "pedigree:lineage.relation", value: relation.rawValue)) }
        if let base = audit.lineage.likelyBase { properties.append(.init(name: "pedigree:lineage.likely_base", value: base)) }
        if audit.lineage.borderline == true { properties.append(.init(name: "pedigree:lineage.borderline", value: "true")) }
        properties.append(.init(name: "pedigree:inherits_from", value: audit.inheritsFrom.joined(separator: ",")))
        properties.append(.init(name: "pedigree:obligations.unmet", value: String(audit.outcome.unmet ?? 0)))
        properties.append(.init(name: "pedigree:obligations.unverifiable", value: String(audit.outcome.unverifiable ?? 0)))
        for finding in audit.findings { properties.append(.init(name: "pedigree:finding", value: finding.code)) }
        return CycloneDX.Component(
            type: .machineLearningModel, bomRef: "candidate", name: name, version: audit.release?.version,
            description: audit.lineage.summary,
            hashes: audit.candidate.sha256.map { [CycloneDX.Hash(content: $0)] },
            licenses: licences.isEmpty ? nil : licences,
            pedigree: ancestors.isEmpty && variants.isEmpty ? nil : CycloneDX.Pedigree(
                ancestors: ancestors.isEmpty ? nil : ancestors, variants: variants.isEmpty ? nil : variants,
                notes: audit.lineage.summary),
            modelCard: CycloneDX.ModelCard(
                modelParameters: .init(task: "text-to-image", architectureFamily: "stable-diffusion-xl"),
                considerations: .init(technicalLimitations: [AuditReport.disclaimer])),
            properties: properties)
    }

    /// Why a model is listed as an ancestor.
    enum Basis: String {
        /// The weights were measured to descend from it.
        case measured
        /// An ancestor of a measured base, through the policies' lineage graph.
        case lineage = "policy-lineage"
        /// Only the maker's manifest names it.
        case declared
    }

    /// The inherited models (measured, then their policy ancestors), then any base the
    /// manifest declares that the measurement did not find.
    func ancestorIds(_ audit: AuditDocument) -> [(id: String, basis: [Basis])] {
        let declared = audit.release?.declaredBases ?? []
        var result: [(id: String, basis: [Basis])] = []
        for id in audit.inheritsFrom {
            let direct = audit.inheritance.first { $0.id == id }?.isDirect ?? true
            result.append((id, [direct ? .measured : .lineage] + (declared.contains(id) ? [.declared] : [])))
        }
        for id in declared where !audit.inheritsFrom.contains(id) { result.append((id, [.declared])) }
        return result
    }

    /// References the candidate is close to (fair or too close) that the audit did not judge
    /// to be lineage: similarity without a concluded relation.
    func variantReferences(_ audit: AuditDocument) -> [AuditDocument.Reference] {
        let listed = Set(ancestorIds(audit).map(\.id))
        return audit.references.filter { reference in
            !listed.contains(reference.id) && (reference.band == "too_close" || reference.band == "fair")
        }
    }

    func ancestor(_ id: String, basis: [Basis], audit: AuditDocument) -> CycloneDX.Component {
        var component = modelComponent(id, bomRef: "model:\(id)", audit: audit)
        var properties = [CycloneDX.Property(name: "pedigree:basis", value: basis.map(\.rawValue).joined(separator: ","))]
        if let inherited = audit.inheritance.first(where: { $0.id == id }) {
            if let via = inherited.via, !via.isEmpty { properties.append(.init(name: "pedigree:via", value: via.joined(separator: " > "))) }
            for evidence in inherited.evidence ?? [] { properties.append(.init(name: "pedigree:evidence", value: evidence.rule)) }
        }
        component.properties = properties + comparedFile(id, audit: audit)
        return component
    }

    func variant(_ reference: AuditDocument.Reference, audit: AuditDocument) -> CycloneDX.Component {
        var component = modelComponent(reference.id, bomRef: "variant:\(reference.id)", audit: audit)
        var properties = [CycloneDX.Property(name: "pedigree:relation", value: "similar-weights-not-inherited")]
        if let cosine = reference.meanCosine { properties.append(.init(name: "pedigree:mean_cosine", value: String(format: "%.6f", cosine))) }
        if let band = reference.band { properties.append(.init(name: "pedigree:band", value: band)) }
        if reference.borderline == true { properties.append(.init(name: "pedigree:borderline", value: "true")) }
        component.properties = properties + comparedFile(reference.id, audit: audit)
        return component
    }

    /// A policy model as a component: name, version, publisher, the hashes its published
    /// files are known by, its licence as the publisher declares it, and its hub page.
    func modelComponent(_ id: String, bomRef: String, audit: AuditDocument) -> CycloneDX.Component {
        let model = policies?.model(id)
        var hashes: [CycloneDX.Hash] = []
        for file in model?.files ?? [] {
            if let sha = file.sha256, !hashes.contains(.init(content: sha)) { hashes.append(.init(content: sha)) }
        }
        let licenceId = model?.licence.id ?? audit.inheritance.first { $0.id == id }?.licence
        let references = model?.huggingfaceRepo.map { [CycloneDX.ExternalReference(url: "https://huggingface.co/\($0)", type: "distribution", comment: nil)] }
        return CycloneDX.Component(
            type: .machineLearningModel, bomRef: bomRef, name: model?.name ?? audit.displayName(of: id) ?? id,
            version: model?.version, publisher: model?.publisher, hashes: hashes.isEmpty ? nil : hashes,
            licenses: licenceId.map { [licence($0, .declared)] }, externalReferences: references)
    }

    /// The file the audit compared a reference with, when it was a full checkpoint: the
    /// bytes actually measured, which need not be the published release.
    func comparedFile(_ id: String, audit: AuditDocument) -> [CycloneDX.Property] {
        guard let reference = audit.references.first(where: { $0.id == id }), let sha = reference.sha256 else { return [] }
        return [.init(name: "pedigree:compared_file.sha256", value: sha),
                .init(name: "pedigree:compared_file.kind", value: reference.kind ?? FileKind.checkpoint.rawValue)]
    }

    func licence(_ id: String, _ acknowledgement: CycloneDX.Acknowledgement) -> CycloneDX.LicenseChoice {
        let policy = policies?.licence(id)
        let property = [CycloneDX.Property(name: "pedigree:licence_id", value: id)]
        if let spdx = policy?.identifiers.spdx {
            return .init(license: .init(id: spdx, name: nil, url: policy?.url, acknowledgement: acknowledgement, properties: property))
        }
        return .init(license: .init(id: nil, name: policy?.name ?? id, url: policy?.url, acknowledgement: acknowledgement, properties: property))
    }

    /// `urn:uuid:` from the audit's digest (RFC 9562 version 8, "custom"): stable for the
    /// same audit, different for any other.
    static func serialNumber(for audit: AuditDocument) -> String {
        var bytes = Array(SHA256.hash(data: Data(("pedigree.cyclonedx/1\u{0}" + audit.sourceDigest).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }
}
