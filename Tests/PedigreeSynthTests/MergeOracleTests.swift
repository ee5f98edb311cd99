import CPedigreeKernels
import Foundation
import PedigreeTestSupport
import Testing
@testable import PedigreeSynth

/// Cross-checks against independent NumPy / PyTorch code reading the written files.
@Suite("Spectra and merges: Python oracle", .serialized, .pythonOracle) struct MergeOracleTests {
    /// Tensors the oracle checks: a UNet middle-block matrix, an input-block conv, an output
    /// block, CLIP-L and OpenCLIP-G matrices, and a bias.
    static let tensors = [
        "model.diffusion_model.middle_block.1.proj_in.weight",
        "model.diffusion_model.input_blocks.1.0.in_layers.2.weight",
        "model.diffusion_model.output_blocks.3.0.skip_connection.weight",
        "conditioner.embedders.0.transformer.text_model.encoder.layers.3.mlp.fc1.weight",
        "conditioner.embedders.1.model.transformer.resblocks.5.attn.out_proj.weight",
        "model.diffusion_model.input_blocks.4.1.proj_out.bias",
    ]

    @Test("singular values of a spectral delta follow the power law; the i.i.d. delta's do not")
    func spectrum() throws {
        let recipe = try RecipeLoader.parse("""
            seed: 3
            components:
              b:   { kind: base }
              d:   { kind: delta, scale: 0.2, spectrum: { exponent: 1.0, rank: 256, tail: 0 } }
              e:   { kind: delta, scale: 0.2 }
            models:
              base: { b: 1 }
              spec: { b: 1, d: 1 }
              iid:  { b: 1, e: 1 }
            """, path: "spectrum.yaml")
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        _ = try SynthFamilyWriter.write(recipe: recipe, outDir: folder, widthDivisor: 16, dtype: .f32)
        let result = try runPython(script: """
            import sys, numpy as np, torch
            from safetensors.numpy import load_file
            d = sys.argv[1]
            base, spec, iid = (load_file(f"{d}/{m}.safetensors") for m in ("base", "spec", "iid"))
            for name in sys.argv[2:5]:
                delta = (spec[name] - base[name]).astype(np.float64)
                m = torch.from_numpy(delta.reshape(delta.shape[0], -1))
                s = torch.linalg.svdvals(m).numpy()
                r = int((s > 1e-3 * s[0]).sum())
                k = np.arange(1, 13)
                slope = np.polyfit(np.log(k), np.log(s[:12]), 1)[0]
                flat = torch.linalg.svdvals(torch.from_numpy((iid[name] - base[name]).astype(np.float64).reshape(delta.shape[0], -1))).numpy()
                flat_slope = np.polyfit(np.log(k), np.log(flat[:12]), 1)[0]
                print(name, r, round(slope, 3), round(flat_slope, 3), float((delta ** 2).sum()), float(((iid[name] - base[name]).astype(np.float64) ** 2).sum()))
            """, arguments: [folder] + Array(Self.tensors[0 ..< 3]))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        var spectralEnergy = 0.0, iidEnergy = 0.0
        for line in lines {
            let f = line.split(separator: " ")
            let rank = Int(f[1]) ?? -1, slope = Double(f[2]) ?? 0, flat = Double(f[3]) ?? 0
            spectralEnergy += Double(f[4]) ?? 0
            iidEnergy += Double(f[5]) ?? 0
            // rank 256 / divisor 16 = 16 directions; the law's slope is −1 (random, not exactly
            // orthogonal factors and column factors bend it a little).
            #expect(rank == 16, "\(line)")
            #expect(abs(slope + 1) < 0.3, "\(line)")
            #expect(flat > -0.35, "\(line)")
        }
        // Scales keep their meaning: the energy matches the i.i.d. delta's in expectation. One
        // tensor's energy is not a good sample (its top direction alone holds ~60% of it), so
        // the check is on the three tensors together, within ±35% in energy.
        #expect(iidEnergy > 0)
        #expect(abs(spectralEnergy / max(iidEnergy, .leastNonzeroMagnitude) - 1) < 0.35, "energy \(spectralEnergy) vs \(iidEnergy)")
    }

    @Test("each merge method agrees with an independent NumPy reimplementation")
    func mergesAgainstNumPy() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        _ = try MergeFixtures.write(divisor: 32, dtype: "f32", folder: folder)
        let result = try runPython(script: """
            import sys, numpy as np
            from safetensors.numpy import load_file
            d = sys.argv[1]
            names = sys.argv[2:]
            M = {m: load_file(f"{d}/{m}.safetensors") for m in
                 ("ill01", "noobai", "ft-a", "ft-b", "slerp", "ties", "dare", "stock", "blocks", "te")}
            def rel(x, y):
                return float(np.abs(x - y).max() / max(np.abs(y).max(), 1e-12))
            worst = {}
            def note(k, v): worst[k] = max(worst.get(k, 0.0), v)
            for n in names:
                g = lambda m: M[m][n].astype(np.float64)
                a, b = g("ft-b"), g("ft-a")
                cos = (a * b).sum() / np.linalg.norm(a) / np.linalg.norm(b)
                th = np.arccos(np.clip(cos, -1, 1))
                t = 0.3
                ref = (np.sin((1 - t) * th) * a + np.sin(t * th) * b) / np.sin(th)
                note("slerp", rel(g("slerp"), ref))
                base = g("ill01")
                deltas = []
                for m, w in (("ft-a", 1.0), ("ft-b", 0.5)):
                    dm = g(m) - base
                    thr = np.quantile(np.abs(dm), 0.6)
                    deltas.append(np.where(np.abs(dm) >= thr, dm, 0) * w)
                D = np.stack(deltas)
                sign = np.where(D.sum(0) >= 0, 1, -1)
                agree = (D != 0) & (np.sign(D) == sign)
                merged = (D * agree).sum(0) / np.maximum(agree.sum(0), 1)
                ref = base + 0.9 * merged
                bad = np.abs(g("ties") - ref) > 1e-4 * np.abs(ref).max()
                note("ties_mismatch_fraction", float(bad.mean()))
                da, r = g("ft-a") - base, g("dare") - base
                kept = np.abs(r - da / 0.4) <= 1e-4 * np.abs(da).max() / 0.4
                dropped = np.abs(r) <= 1e-6 * np.abs(da).max()
                note("dare_unexplained", float((~(kept | dropped)).mean()))
                note("dare_drop_error", abs(float(dropped.mean()) - 0.6) if r.size > 2000 else 0.0)
                ds = [g(m) - base for m in ("ft-a", "ft-b", "noobai")]
                cs = [(ds[i] * ds[j]).sum() / np.linalg.norm(ds[i]) / np.linalg.norm(ds[j]) for i, j in ((0, 1), (0, 2), (1, 2))]
                c = np.mean(cs); k = 3
                tt = k * c / (1 + (k - 1) * c)
                note("stock", rel(g("stock"), base + tt * sum(ds) / 3))
                alpha = 1.0 if ".middle_block." in n else 0.5 if ".output_blocks.3." in n else 0.25
                note("blocks", rel(g("blocks"), (1 - alpha) * g("ft-b") + alpha * g("noobai")))
                src = "noobai" if n.startswith("conditioner.") else "ft-b"
                note("transplant", rel(g("te"), g(src)))
            for k, v in sorted(worst.items()): print(k, v)
            """, arguments: [folder] + Self.tensors)
        #expect(result.status == 0, "\(result.stderr)")
        let worst = Dictionary(uniqueKeysWithValues: result.stdout.split(separator: "\n").compactMap { line -> (String, Double)? in
            let f = line.split(separator: " ")
            return f.count == 2 ? (String(f[0]), Double(f[1]) ?? .infinity) : nil
        })
        #expect(worst.count == 7, "\(result.stdout)")  // one figure per note(...) above
        for key in ["slerp", "stock", "blocks", "transplant"] { #expect((worst[key] ?? 1) < 2e-4, "\(key): \(worst[key] ?? -1)") }
        #expect((worst["transplant"] ?? 1) == 0)
        // The TIES threshold is estimated from ~65k sampled elements, NumPy's is exact: only
        // elements right at the threshold may differ.
        #expect((worst["ties_mismatch_fraction"] ?? 1) < 0.02)
        #expect((worst["dare_unexplained"] ?? 1) == 0)
        #expect((worst["dare_drop_error"] ?? 1) < 0.03)
    }

    @Test("FP8 bytes match PyTorch's float8_e4m3fn conversion, and the fp8 model reads back")
    func fp8AgainstTorch() throws {
        let folder = Fixtures.temporaryFolder()
        defer { Fixtures.remove(folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Values across the whole E4M3 range, subnormals and exact ties included.
        var values: [Float] = (0 ..< 20_000).map { i in
            let u = Float(ps_noise_value(1, 2, UInt32(i)))
            return u * Float(pow(2.0, Double(i % 22) - 14))
        }
        values += (0 ..< 256).map { Float($0) * 0x1p-10 } + (0 ..< 64).map { 1 + Float($0) * 0x1p-4 } + [447, 448, -447, -300]
        var bytes = [UInt8](repeating: 0, count: values.count)
        ps_f32_to_f8e4m3(values, &bytes, values.count)
        let raw = values.withUnsafeBufferPointer { Data(buffer: $0) }
        try raw.write(to: URL(fileURLWithPath: folder + "/values.f32"))
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/values.f8"))
        let family = try MergeFixtures.write(divisor: 64, dtype: "f32", folder: folder)
        #expect(family.model(named: "fp8")?.dtype == "F8_E4M3")
        let result = try runPython(script: """
            import sys, numpy as np, torch
            from safetensors.torch import load_file
            d = sys.argv[1]
            x = torch.from_numpy(np.fromfile(f"{d}/values.f32", dtype=np.float32))
            ours = np.fromfile(f"{d}/values.f8", dtype=np.uint8)
            theirs = x.to(torch.float8_e4m3fn).view(torch.uint8).numpy()
            print("value_mismatches", int((ours != theirs).sum()))
            fp8 = load_file(f"{d}/fp8.safetensors")
            ill, noob = load_file(f"{d}/ill01.safetensors"), load_file(f"{d}/noobai.safetensors")
            total = bad = 0
            for n, t in fp8.items():
                assert t.dtype == torch.float8_e4m3fn, t.dtype
                expected = (0.5 * (ill[n] + noob[n])).to(torch.float8_e4m3fn).view(torch.uint8)
                bad += int((t.view(torch.uint8) != expected).sum()); total += t.numel()
            print("model_mismatch_fraction", bad / total)
            """, arguments: [folder])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("value_mismatches 0\n"), "\(out)")
        // The fp8 model is sdxl + ill + 0.5·noob rounded once; ½(ill01 + noobai) in Float32 can
        // land on the other side of a rounding boundary for a few elements.
        let fraction = out.split(separator: "\n").first { $0.hasPrefix("model_mismatch_fraction") }
            .flatMap { Double($0.split(separator: " ")[1]) } ?? 1
        #expect(fraction < 0.002, "\(out)")
    }
}
