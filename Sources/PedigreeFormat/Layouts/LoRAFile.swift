import Foundation
import PedigreeSupport

/// A LoRA: low-rank changes to some of a base model's weights, stored as pairs of factors.
/// Read in the two conventions most uploads use, each module mapped onto the
/// original-layout (SGM) tensor it changes:
///
/// - kohya (`lora_unet_…`, `lora_te1_…`, `lora_te2_…` with `.lora_down.weight`,
///   `.lora_up.weight` and `.alpha`), UNet modules named after the SGM layout (sd-scripts'
///   SDXL) or the diffusers one, LoCon convolutions included;
/// - diffusers / PEFT (`unet.…`, `text_encoder.…`, `text_encoder_2.…` with `.lora_A.weight`
///   and `.lora_B.weight`, or `.lora.down.weight` / `.lora.up.weight`), scale 1.
///
/// A module's change is `up · down · alpha / rank`, reshaped to the tensor's shape (a
/// convolution's down factor is out × in·kh·kw, as kohya reshapes it). LyCORIS LoHa and
/// LoKr, whose changes are Hadamard and Kronecker products, are refused by name.
public struct LoRAFile: Sendable {
    /// One low-rank change to rows `rowOffset ..< rowOffset + rows` of an SGM tensor (a
    /// slice for OpenCLIP's in_proj, whose q, k and v a LoRA changes separately).
    public struct Module: Sendable {
        public let name: String
        public let target: String
        public let rowOffset: Int
        public let up: TensorInfo
        public let down: TensorInfo
        public let scale: Float
        public var rank: Int { down.shape.first ?? 0 }
        /// Rows of the change (up's first dimension).
        public var rows: Int { up.shape.first ?? 0 }
        /// Columns of the change: down's elements per rank row.
        public var columns: Int { down.shape.dropFirst().reduce(1, *) }
    }

    public enum Convention: String, Sendable { case kohya, peft }

    public let file: SafetensorsFile
    public let convention: Convention
    /// Modules by target tensor.
    public let modules: [String: [Module]]
    /// Module names that map onto no SDXL tensor (another architecture, or a module the
    /// layout does not have); reported, not guessed.
    public let unmapped: [String]

    /// Whether a file's tensor names are a LoRA's.
    public static func isLoRA(_ header: SafetensorsHeader) -> Bool {
        header.tensors.contains { t in
            // Byte searches: Foundation's `contains` on String is a locale-aware search, and a
            // checkpoint has thousands of names to look through on every open.
            t.name.hasSuffix(".lora_down.weight") || t.name.hasSuffix(".lora_A.weight") || t.name.hasSuffix(".lora.down.weight")
                || t.name.containsASCII(".hada_w1_") || t.name.containsASCII(".lokr_w1")
        }
    }

    public init(file: SafetensorsFile) throws {
        self.file = file
        let header = file.header
        if let kind = header.tensors.lazy.compactMap({ t -> String? in
            t.name.contains(".hada_w") ? "LyCORIS LoHa" : t.name.contains(".lokr_w") ? "LyCORIS LoKr" : nil
        }).first {
            throw LayoutError.unsupportedLoRA(path: file.path, kind: kind)
        }
        let byName = Dictionary(header.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let kohya = header.tensors.contains { $0.name.hasSuffix(".lora_down.weight") }
        convention = kohya ? .kohya : .peft
        let table = LoRANames.table
        var modules: [String: [Module]] = [:]
        var unmapped: [String] = []
        for down in header.tensors {
            let suffixes = kohya ? [(".lora_down.weight", ".lora_up.weight")] : [(".lora_A.weight", ".lora_B.weight"), (".lora.down.weight", ".lora.up.weight")]
            guard let (downSuffix, upSuffix) = suffixes.first(where: { down.name.hasSuffix($0.0) }) else { continue }
            let name = String(down.name.dropLast(downSuffix.count))
            guard let up = byName[name + upSuffix] else { throw LayoutError.loraModule(path: file.path, module: name, reason: "has a down factor and no up factor (\(upSuffix))") }
            guard let target = (kohya ? table.kohya[name] : table.peft[LoRANames.peftKey(name)]) else { unmapped.append(name); continue }
            let rank = down.shape.first ?? 0
            guard rank > 0, up.shape.count >= 2, up.shape[1] == rank, up.shape.dropFirst(2).allSatisfy({ $0 == 1 }), down.shape.count >= 2,
                  up.shape.allSatisfy({ $0 > 0 }), down.shape.allSatisfy({ $0 > 0 }) else {
                throw LayoutError.loraModule(path: file.path, module: name, reason: "up \(up.typeDescription) and down \(down.typeDescription) are not the factors of one rank-\(rank) change")
            }
            guard up.dtype.convertsToFloat32, down.dtype.convertsToFloat32 else {
                throw LayoutError.loraModule(path: file.path, module: name, reason: "factors of type \(up.dtype.rawValue)/\(down.dtype.rawValue) are not real numbers")
            }
            var alpha = Float(rank)
            if let alphaTensor = byName[name + ".alpha"] {
                guard alphaTensor.elementCount == 1, alphaTensor.dtype.convertsToFloat32, let value = try file.readFloat32(alphaTensor).first, value.isFinite else {
                    throw LayoutError.loraModule(path: file.path, module: name, reason: "`alpha` is not one finite number")
                }
                alpha = value
            }
            modules[target.tensor, default: []].append(Module(name: name, target: target.tensor, rowOffset: target.rowBlock * (up.shape.first ?? 0), up: up, down: down, scale: alpha / Float(rank)))
        }
        guard !modules.isEmpty else {
            throw LayoutError.loraModule(path: file.path, module: unmapped.first ?? "(none)", reason: "no module maps onto an SDXL tensor\(unmapped.isEmpty ? "" : " (\(unmapped.count) modules, none SDXL's)")")
        }
        self.modules = modules
        self.unmapped = unmapped.sorted()
    }
}

/// LoRA module names for every SDXL tensor a LoRA can change, in both conventions.
enum LoRANames {
    struct Target: Sendable {
        let tensor: String
        /// 0 for a whole tensor; 0, 1, 2 for the q, k, v row blocks of OpenCLIP's in_proj.
        let rowBlock: Int
    }

    struct Table: Sendable {
        var kohya: [String: Target] = [:]
        var peft: [String: Target] = [:]
    }

    static let table: Table = {
        var table = Table()
        // OpenCLIP's `in_proj_weight` has no dot before `weight`: a LoRA changes it as q, k, v.
        for entry in SDXLLayout.tensors where entry.name.hasSuffix("weight") && entry.shape.count >= 2 {
            guard let (component, storage) = DiffusersNames.location(of: entry.name) else { continue }
            let whole = Target(tensor: entry.name, rowBlock: 0)
            switch component {
            case .unet:
                let sgm = String(entry.name.dropFirst("model.diffusion_model.".count).dropLast(".weight".count))
                table.kohya["lora_unet_" + underscored(sgm)] = whole
                if case .stored(let diffusers) = storage {
                    let name = String(diffusers.dropLast(".weight".count))
                    table.kohya["lora_unet_" + underscored(name)] = whole
                    table.peft["unet." + name] = whole
                }
            case .textEncoder, .textEncoder2:
                let prefix = component == .textEncoder ? "te1" : "te2"
                switch storage {
                case .transposed:
                    continue  // OpenCLIP's projection is a parameter, not a layer a LoRA targets
                case .stored(let hf):
                    let name = String(hf.dropLast(".weight".count))
                    table.kohya["lora_\(prefix)_" + underscored(name)] = whole
                    table.peft[component.rawValue + "." + name] = whole
                case .stacked(let parts):
                    for (block, hf) in parts.enumerated() {
                        let name = String(hf.dropLast(".weight".count))
                        let target = Target(tensor: entry.name, rowBlock: block)
                        table.kohya["lora_\(prefix)_" + underscored(name)] = target
                        table.peft[component.rawValue + "." + name] = target
                    }
                }
            }
        }
        return table
    }()

    static func underscored(_ name: String) -> String { name.replacingOccurrences(of: ".", with: "_") }

    /// A PEFT module name without the wrappers trainers add (`base_model.model.`).
    static func peftKey(_ name: String) -> String {
        var key = name
        for wrapper in ["base_model.model."] where key.hasPrefix(wrapper) { key = String(key.dropFirst(wrapper.count)) }
        return key
    }
}

extension String {
    /// Whether the UTF-8 bytes contain `needle`'s, compared byte for byte (for ASCII name
    /// fragments, where that is the same as comparing characters).
    func containsASCII(_ needle: StaticString) -> Bool {
        // SAFETY: a StaticString's UTF-8 bytes are static storage of exactly utf8CodeUnitCount bytes.
        precondition(needle.hasPointerRepresentation, "an ASCII literal, not a single scalar")
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return true }
        var copy = self
        return copy.withUTF8 { text in
            guard text.count >= pattern.count else { return false }
            var i = 0
            while i + pattern.count <= text.count {
                if text[i] == first, memcmp(text.baseAddress! + i, pattern.baseAddress!, pattern.count) == 0 { return true }
                i += 1
            }
            return false
        }
    }
}
