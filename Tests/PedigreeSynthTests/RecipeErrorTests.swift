import Testing
@testable import PedigreeSynth

@Suite("Recipe errors") struct RecipeErrorTests {
    private func failure(_ text: String) -> SynthError? { Fixtures.failure(text) }

    @Test("unknown key: did-you-mean and line:column")
    func unknownKey() throws {
        let error = try #require(failure("components:\n  b: { kind: base, scal: 2 }\nmodels: { m: { b: 1 } }\n"))
        #expect(error.code == "SY003")
        #expect(error.message.hasPrefix("r.yaml:2:20: unknown key 'scal' in component 'b'; did you mean 'scale'?"))
        #expect(!error.message.contains("\n"))
    }

    @Test("unknown top-level key")
    func unknownTopKey() throws {
        let error = try #require(failure("componets: {}\n"))
        #expect(error.code == "SY003")
        #expect(error.message.contains("r.yaml:1:1:"))
        #expect(error.message.contains("did you mean 'components'?"))
    }

    @Test("wrong type: a quoted number is a string")
    func wrongType() throws {
        let error = try #require(failure("components:\n  b: { kind: base, scale: \"2\" }\nmodels: { m: { b: 1 } }\n"))
        #expect(error.code == "SY002")
        #expect(error.message == "r.yaml:2:27: 'scale' must be a finite number")
    }

    @Test("unknown component in a model, with did-you-mean")
    func unknownComponent() throws {
        let error = try #require(failure("components:\n  sdxl: { kind: base }\nmodels:\n  m: { sdx: 1 }\n"))
        #expect(error.code == "SY005")
        #expect(error.message == "r.yaml:4:8: model 'm' uses component 'sdx', which the recipe does not declare; did you mean 'sdxl'?")
    }

    @Test("empty model, model without a base, unknown lineage model, bad values")
    func otherRules() throws {
        let head = "components:\n  b: { kind: base }\n  d: { kind: delta }\n"
        #expect(failure(head + "models:\n  m: {}\n")?.code == "SY006")
        #expect(failure(head + "models:\n  m: { d: 1 }\n")?.code == "SY010")
        #expect(failure(head + "models:\n  m: { b: 1 }\nlineage:\n  n: { parent: m }\n")?.code == "SY008")
        #expect(failure(head + "models:\n  m: { b: 1 }\nlineage:\n  m: { parent: mm }\n")?.message.contains("did you mean 'm'?") == true)
        #expect(failure("components:\n  b: { kind: bas }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  b: { kind: base, scale: 0 }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        #expect(failure("components:\n  b: { kind: base, profile: { unte: 2 } }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
        let duplicate = failure("components:\n  b: { kind: base }\n  b: { kind: delta }\nmodels: { m: { b: 1 } }\n")
        #expect(duplicate?.code == "SY009")
        #expect(duplicate?.message == "r.yaml:2:3: key 'b' appears twice in the same mapping")
        #expect(failure("models: { m: { b: 1 } }\n")?.code == "SY004")
        #expect(failure("components:\n  ../evil: { kind: base }\nmodels: { m: { b: 1 } }\n")?.code == "SY007")
    }

    @Test("YAML syntax errors carry a place")
    func syntax() throws {
        let error = try #require(failure("components: { b: [\n"))
        #expect(error.code == "SY001")
        #expect(error.message.hasPrefix("r.yaml:"))
        #expect(!error.message.contains("\n"))
    }

    @Test("bad options are refused before anything is written")
    func options() throws {
        let recipe = try RecipeLoader.parse("components: { b: { kind: base } }\nmodels: { m: { b: 1 } }\n", path: "r.yaml")
        #expect(throws: SynthError.self) {
            try SynthFamilyWriter.write(recipe: recipe, outDir: Fixtures.temporaryFolder(), widthDivisor: 0)
        }
        #expect(throws: SynthError.self) {
            try SynthFamilyWriter.write(recipe: recipe, outDir: Fixtures.temporaryFolder(), widthDivisor: 64, dtype: .i32)
        }
    }
}
