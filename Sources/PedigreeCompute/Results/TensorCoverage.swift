import PedigreeFormat

/// How much of the model a comparison covered, per component: the tensors compared out of
/// what the architecture expects (after the tensor filter), and their share of its
/// parameters. A verdict on 3 of SDXL's 2,514 tensors, or on the UNet alone, is a verdict on
/// that part only, and every report says so.
///
/// For SDXL the expectation is the compiled-in layout, and the parameter share counts each
/// tensor at its full SDXL size, so a width-reduced test file that has every tensor covers
/// 100%. For another architecture, the candidate's own tensors are what is expected.
public struct TensorCoverage: Codable, Equatable, Sendable {
    public struct Part: Codable, Equatable, Sendable {
        /// `unet`, `clip_l`, `clip_g` (and `vae`, `other` when admitted by the filter).
        public var component: String
        public var tensorsCompared: Int
        public var tensorsExpected: Int
        /// Share of the component's parameters in the compared tensors, in [0, 1].
        public var parameterFraction: Double

        public init(component: String, tensorsCompared: Int, tensorsExpected: Int, parameterFraction: Double) {
            self.component = component
            self.tensorsCompared = tensorsCompared
            self.tensorsExpected = tensorsExpected
            self.parameterFraction = parameterFraction
        }
    }

    /// What the expectation is: `sdxl-layout` or `candidate-tensors`.
    public var basis: String
    public var tensorsCompared: Int
    public var tensorsExpected: Int
    public var parameterFraction: Double
    public var components: [Part]

    public init(basis: String, tensorsCompared: Int, tensorsExpected: Int, parameterFraction: Double, components: [Part]) {
        self.basis = basis
        self.tensorsCompared = tensorsCompared
        self.tensorsExpected = tensorsExpected
        self.parameterFraction = parameterFraction
        self.components = components
    }

    public func part(_ component: String) -> Part? { components.first { $0.component == component } }

    /// Coverage of `compared` tensor names against what `architecture` expects under `filter`.
    public static func measure(compared: Set<String>, candidateShapes: [String: [Int]], architecture: Architecture, filter: TensorFilter) -> TensorCoverage {
        let isSDXL = architecture == .sdxl
        // Expected tensors with the parameter count each stands for.
        let expected: [(name: String, parameters: Double)] = isSDXL
            ? SDXLLayout.tensors.filter { filter.admits($0.name) && !SDXLLayout.isOptionalExtra($0.name) }
                .map { ($0.name, Double($0.shape.reduce(1, *))) }
            : candidateShapes.filter { filter.admits($0.key) }.map { ($0.key, Double($0.value.reduce(1, *))) }
        var parts: [Component: (compared: Int, expected: Int, comparedParameters: Double, parameters: Double)] = [:]
        for tensor in expected {
            let component = Component.of(tensor.name)
            var part = parts[component] ?? (0, 0, 0, 0)
            part.expected += 1
            part.parameters += tensor.parameters
            if compared.contains(tensor.name) {
                part.compared += 1
                part.comparedParameters += tensor.parameters
            }
            parts[component] = part
        }
        let components = parts.keys.sorted().map { component -> Part in
            let part = parts[component]!
            return Part(component: component.rawValue, tensorsCompared: part.compared, tensorsExpected: part.expected,
                        parameterFraction: part.parameters > 0 ? part.comparedParameters / part.parameters : 0)
        }
        let totalParameters = parts.values.reduce(0) { $0 + $1.parameters }
        let comparedParameters = parts.values.reduce(0) { $0 + $1.comparedParameters }
        return TensorCoverage(
            basis: isSDXL ? "sdxl-layout" : "candidate-tensors",
            tensorsCompared: parts.values.reduce(0) { $0 + $1.compared }, tensorsExpected: expected.count,
            parameterFraction: totalParameters > 0 ? comparedParameters / totalParameters : 0, components: components)
    }
}
