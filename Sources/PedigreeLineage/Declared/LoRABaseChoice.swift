import PedigreeCompute
import PedigreeFormat
import PedigreePolicy

/// Which reference a LoRA candidate is applied to: the one asked for, else the training
/// base the LoRA declares (kohya's `ss_sd_model_name` / `ss_new_sd_model_hash`, matched
/// against the policies) when it is among the references, else nil (the root reference).
///
/// The choice changes what "the candidate" is, not what its change is measured against:
/// each reference pair's change is compared with the candidate's change from the pair's
/// ancestor, so a LoRA extracted from NoobAI's change carries it whichever base it claims.
public enum LoRABaseChoice {
    public static func base(candidate path: String, requested: String?, references: [String], policies: PolicySet?) -> String? {
        if let requested { return requested }
        guard let policies, !MappedCheckpoint.isMultiFile(path), let file = try? SafetensorsFile(path: path),
              LoRAFile.isLoRA(file.header) else { return nil }
        let declared = DeclaredLineageReader.read(metadata: file.header.metadata, tensorNames: [])
        let resolver = DeclaredLineageResolver(policies: policies)
        for model in declared.models where model.source == .kohyaTraining {
            if let (id, _) = resolver.resolve(model), references.contains(id) { return id }
        }
        return nil
    }
}
