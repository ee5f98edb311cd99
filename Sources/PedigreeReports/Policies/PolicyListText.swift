import PedigreePolicy

/// The text rendering of `policy list`: a table of the models, then one of the licences.
public enum PolicyListText {
    public static func render(_ set: PolicySet) -> String {
        let models = TextTable(plain: [["ID", "LICENCE", "PARENTS", "PRED", "PUBLISHER"]] + set.models.map { model in
            [model.id, model.licence.id + (model.licence.evidence == .primary ? "" : " (?)"),
             model.parents.map(\.id).joined(separator: ", ").ifEmpty("—"),
             model.prediction.type.rawValue, model.publisher]
        })
        let licences = TextTable(plain: [["ID", "EXTENDS", "COMMERCIAL", "OBLIGATIONS", "NAME"]] + set.licences.map { licence in
            [licence.id, licence.extends ?? "—", licence.commercialUse.status.rawValue,
             String(licence.obligations.count), licence.name]
        })
        return (["MODELS"] + models.lines(indent: "") + ["", "LICENCES"] + licences.lines(indent: "")
            + ["", "(?) licence known from secondary sources only; see `pedigree policy show ID`."]).joined(separator: "\n")
    }
}

private extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
