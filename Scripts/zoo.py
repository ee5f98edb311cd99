#!/usr/bin/env python3
"""The merge zoo, judged: every candidate of Scripts/recipes/merge-zoo.yaml (made by
Pedigree's synth) and, with --mecha, merges made by sd-mecha from the same ingredients,
each compared against SDXL base, Illustrious 0.1 and 2.0 and NoobAI, classified, and scored
against the planted truth.

    python3 Scripts/zoo.py                           # width divisor 16, release build
    python3 Scripts/zoo.py --mecha --python .build/oracle-venv/bin/python
    python3 Scripts/zoo.py --pedigree .build/debug/pedigree --width-divisor 32 --json out.json
    python3 Scripts/zoo.py --recipe Scripts/recipes/unmerge-concentrated.yaml   # the un-merge evasion

A candidate is judged right when NoobAI is in `inherits_from` exactly for the candidates
that carry NoobAI's change (names starting `noob-` or `mecha-noob-`), its whole-model NoobAI
share is within ±0.1 of the planted share, and, for block- and component-weighted merges,
every block's and component's share is within ±0.1 of its planted share.

Un-merges (`merge: unmerge`, the seed article's evasion: a rank-k LoRA of NoobAI's change
merged at strength −1) are scored against the share the candidate really carries (family.json
`nominal`: 1.0 for an un-merged NoobAI fine-tune), and must raise LN014; no other candidate may.

Planted shares: for Pedigree's recipes, family.json (`effective` for SLERP, TIES, DARE and
model stock, whose nominal weights are not kept; `nominal` otherwise). For sd-mecha's
merges, ⟨C − I, N − I⟩ / ⟨N − I, N − I⟩ over every non-VAE tensor, computed here with numpy
(I = Illustrious 0.1, N = NoobAI), next to the arithmetic of the recipe where there is one.

Prints a Markdown table; exits 1 when any candidate is judged wrong. Needs only Python's
standard library, and with --mecha an interpreter with sd-mecha, torch, numpy, safetensors.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCES = ["sdxl-base-1.0", "illustrious-xl-v0.1", "illustrious-xl-v2.0", "noobai-xl-eps-1.0"]
NOOB, NOOB_PARENT = "noobai-xl-eps-1.0", "illustrious-xl-v0.1"
TOLERANCE = 0.1
# Methods whose recipe weights are not what survives in the weights (README of PedigreeSynth).
EFFECTIVE_METHODS = {"slerp", "ties", "dare", "model_stock"}
# Supermerger's UNet block labels and the block names Pedigree reports.
BLOCK_NAMES = {**{f"IN{i:02d}": f"unet.input_blocks.{i}" for i in range(9)}, "M00": "unet.middle_block",
               **{f"OUT{i:02d}": f"unet.output_blocks.{i}" for i in range(9)}}

# sd-mecha's merges from the zoo's ingredients: (name, spec, nominal NoobAI share or None).
# The ingredients' NoobAI share: noobai-ft-* carry all of NoobAI's change, ill-ft-* none.
MECHA = [
    ("mecha-noob-ws-25", {"method": "weighted_sum", "a": "ill-ft-a", "b": "noobai-ft-a", "alpha": 0.25}, 0.25),
    ("mecha-noob-ws-60", {"method": "weighted_sum", "a": "ill-ft-b", "b": "noobai-ft-b", "alpha": 0.6}, 0.6),
    ("mecha-noob-slerp-50", {"method": "slerp", "a": "ill-ft-c", "b": "noobai-ft-a", "alpha": 0.5}, None),
    ("mecha-noob-adddiff-ill20", {"method": "add_difference", "a": "illustrious-xl-v2.0", "b": "noobai-xl-eps-1.0",
                                  "c": "illustrious-xl-v0.1", "alpha": 0.7}, 0.7),
    ("mecha-noob-ties", {"method": "ties", "base": "illustrious-xl-v0.1", "models": ["noobai-ft-a", "ill-ft-b", "ill-ft-c"],
                         "k": 0.3, "alpha": 1.0}, None),
    ("mecha-noob-dare", {"method": "dare", "base": "illustrious-xl-v0.1", "models": ["noobai-ft-b", "ill-ft-a"],
                         "probability": 0.6, "alpha": 0.5, "seed": 7}, None),
    # sd-mecha 1.1.8 scales this TIES sum by model stock's t unless apply_stock is set (which
    # then means t = 1): both ways, as mergers run it.
    ("mecha-noob-ties-dare", {"method": "ties_dare", "base": "illustrious-xl-v0.1", "models": ["noobai-ft-a", "ill-ft-d"],
                              "probability": 0.5, "k": 1.0, "alpha": 0.5, "seed": 11, "apply_stock": True}, None),
    ("mecha-noob-ties-dare-t", {"method": "ties_dare", "base": "illustrious-xl-v0.1", "models": ["noobai-ft-a", "ill-ft-d"],
                                "probability": 0.5, "k": 1.0, "alpha": 1.0, "seed": 11}, None),
    ("mecha-noob-model-stock", {"method": "model_stock", "base": "illustrious-xl-v0.1",
                                "models": ["noobai-ft-a", "noobai-ft-b", "ill-ft-a"]}, None),
    ("mecha-noob-blocks-out", {"method": "block_weights", "a": "ill-ft-d", "b": "noobai-xl-eps-1.0",
                               "blocks": {f"OUT{i:02d}": 1.0 for i in range(9)}}, None),
    ("mecha-noob-rank-16", {"method": "truncate_rank", "base": "illustrious-xl-v0.1", "model": "noobai-ft-a", "rank": 16}, None),
    ("mecha-ill-ws", {"method": "weighted_sum", "a": "ill-ft-a", "b": "ill-ft-b", "alpha": 0.5}, 0.0),
    ("mecha-ill-ties", {"method": "ties", "base": "illustrious-xl-v0.1", "models": ["ill-ft-a", "ill-ft-b", "ill-ft-c"],
                        "k": 0.3, "alpha": 1.0}, 0.0),
    ("mecha-ill-adddiff-ill20", {"method": "add_difference", "a": "illustrious-xl-v2.0", "b": "ill-ft-c",
                                 "c": "illustrious-xl-v0.1", "alpha": 1.0}, 0.0),
    ("mecha-ill-model-stock", {"method": "model_stock", "base": "illustrious-xl-v0.1", "models": ["ill-ft-a", "ill-ft-b", "ill-ft-d"]}, 0.0),
]


def run(args, **kwargs):
    """Runs a command; 0 and 1 (obligations unmet or unverifiable) are both answers."""
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode not in (0, 1):
        sys.exit(f"zoo: {' '.join(args[:3])} … failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


def synthesize(pedigree, family, divisor, recipe):
    if os.path.exists(os.path.join(family, "family.json")):
        return
    print(f"zoo: synthesizing {os.path.basename(recipe)} at width divisor {divisor} into {family} …", file=sys.stderr)
    run([pedigree, "synth", recipe, "--out", family, "--width-divisor", str(divisor)])


def component_of(name):
    if name.startswith("model.diffusion_model."):
        return "unet"
    if name.startswith("conditioner.embedders.0."):
        return "clip_l"
    if name.startswith("conditioner.embedders.1."):
        return "clip_g"
    return None  # VAE and anything else: not compared


def block_of(name):
    """Pedigree's block name for a UNet tensor (input_blocks.N, middle_block, output_blocks.N)."""
    parts = name.split(".")
    if name.startswith("model.diffusion_model.") and len(parts) > 3:
        if parts[2] in ("input_blocks", "output_blocks"):
            return f"unet.{parts[2]}.{parts[3]}"
        if parts[2] == "middle_block":
            return "unet.middle_block"
    return None


_REFERENCE_VALUES = {}


def measured_truth(family, candidate_path):
    """Computed here with numpy, independently of Pedigree: NoobAI's share of the candidate's
    change, ⟨C − I, N − I⟩ / ⟨N − I, N − I⟩ (I = Illustrious 0.1, N = NoobAI), for the whole
    model (UNet and both text encoders), each component and each UNet block; and `support`,
    the same over the elements where C differs from I (what a sparsifying merge changed).
    Elements that are not finite in any file are left out, as Pedigree leaves such columns out."""
    import numpy
    import torch
    from safetensors import safe_open
    sums = {}
    # Read through PyTorch: numpy has no FP8 type. I and N are read once for every candidate.
    if family not in _REFERENCE_VALUES:
        with safe_open(os.path.join(family, NOOB_PARENT + ".safetensors"), framework="pt") as i_file, \
                safe_open(os.path.join(family, NOOB + ".safetensors"), framework="pt") as n_file:
            _REFERENCE_VALUES[family] = {name: (i_file.get_tensor(name).to(torch.float64).numpy().ravel(),
                                                n_file.get_tensor(name).to(torch.float64).numpy().ravel())
                                         for name in i_file.keys() if component_of(name) is not None}
    references = _REFERENCE_VALUES[family]
    with safe_open(candidate_path, framework="pt") as candidate:
        values = {name: candidate.get_tensor(name).to(torch.float64).numpy().ravel()
                  for name in candidate.keys() if name in references}
    for name, (i, n) in references.items():
        part = component_of(name)
        c = values.get(name)
        if c is None:
            continue
        if c.shape != i.shape:
            continue
        finite = numpy.isfinite(c) & numpy.isfinite(i) & numpy.isfinite(n)
        changed = finite & (c != i)
        c, i, n = c[finite], i[finite], n[finite]
        change, own = c - i, n - i
        keys = [part, "whole"] + ([block_of(name)] if block_of(name) else [])
        on_support = changed[finite]
        terms = {key: (float(change @ own), float(own @ own)) for key in keys}
        terms["support"] = (float(change[on_support] @ own[on_support]), float(own[on_support] @ own[on_support]))
        for key, (dot, norm) in terms.items():
            old = sums.get(key, (0.0, 0.0))
            sums[key] = (old[0] + dot, old[1] + norm)
    return {key: dot / norm for key, (dot, norm) in sums.items() if norm > 0}


def make_mecha(python, family, out):
    os.makedirs(out, exist_ok=True)
    todo = [dict(spec, out=name) for name, spec, _ in MECHA if not os.path.exists(os.path.join(out, name + ".safetensors"))]
    if todo:
        print(f"zoo: merging {len(todo)} candidates with sd-mecha …", file=sys.stderr)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
            json.dump(todo, spec)
        run([python, os.path.join(ROOT, "Tests/Oracles/mecha_merges.py"), family, out, spec.name])
        os.unlink(spec.name)


def planted_from_family(entry):
    """The synth's own record of the truth (family.json), used when numpy is not at hand."""
    share = next((s for s in entry.get("shares", []) if s["reference"] == NOOB), None)
    if share is None:
        return None
    key = "effective" if share["method"] in EFFECTIVE_METHODS else "nominal"
    pick = lambda figures: {name: value[key] for name, value in figures.items()}
    return {"method": share["method"], "source": f"family.json {key}", "nominal": share["whole"]["nominal"],
            "whole": share["whole"][key], "support": None, "components": pick(share.get("components", {})),
            "blocks": {BLOCK_NAMES[k]: v for k, v in pick(share.get("blocks", {})).items() if k in BLOCK_NAMES}}


def planted_from_numpy(method, nominal, truth):
    if method == "unmerge":
        # The whole-change projection is what the evasion lowers; the truth is what the
        # weights still carry, the recipe's share (numpy's figure stays as `whole_change`).
        return {"method": method, "source": "family.json nominal", "nominal": nominal, "whole": nominal, "support": None,
                "components": {}, "blocks": {}, "whole_change": truth["whole"]}
    return {"method": method, "source": "numpy", "nominal": nominal, "whole": truth["whole"], "support": truth.get("support"),
            "components": {k: truth[k] for k in ("unet", "clip_l", "clip_g") if k in truth},
            "blocks": {k: v for k, v in truth.items() if k.startswith("unet.")}}


def judge(candidate, report, planted):
    expect_noob = candidate.startswith("noob-") or candidate.startswith("mecha-noob-")
    inherits = NOOB in report.get("inherits_from", [])
    inconclusive = any(f.get("code") == "LN009" for f in report.get("findings", []))
    subtracted = any(f.get("code") == "LN014" for f in report.get("findings", []))
    attribution = report.get("attribution") or {}
    noob = next((r for r in attribution.get("references", []) if r["id"] == NOOB), {})
    share, interval, estimator = noob.get("share"), noob.get("interval"), noob.get("estimator")
    # Scored against the truth of the estimator Pedigree says it used: the projection over
    # the whole model (dense), or over the elements the merge changed (support).
    truth = planted["support"] if estimator == "support" and planted["support"] is not None else planted["whole"]
    problems = []
    if inherits != expect_noob:
        problems.append("verdict")
    if share is None or abs(share - truth) > TOLERANCE:
        problems.append("whole share")
    if subtracted != (planted["method"] == "unmerge"):
        problems.append("LN014 missing" if not subtracted else "LN014 raised")
    profile = {p["rank"]: p.get("share") for p in noob.get("spectral") or []}
    # Component- and block-weighted merges: every part within tolerance.
    parts = []
    if planted["method"] in ("transplant", "block_weights"):
        measured = {p["name"]: p.get("share") for p in noob.get("components", []) + noob.get("blocks", [])}
        expected = planted["components"] | planted["blocks"] if planted["method"] == "block_weights" else planted["components"]
        for name, value in expected.items():
            got = measured.get(name)
            error = abs(got - value) if got is not None else float("inf")
            parts.append((name, value, got, error))
            if error > TOLERANCE:
                problems.append(f"{name} share")
    verdict = "NoobAI" if inherits else ("inconclusive" if inconclusive else "not NoobAI")
    return {"candidate": candidate, "method": planted["method"], "expected": "NoobAI" if expect_noob else "not NoobAI",
            "verdict": verdict, "planted": truth, "planted_whole": planted["whole"], "planted_support": planted["support"],
            "planted_nominal": planted.get("nominal"), "truth_source": planted["source"],
            "share": share, "interval": interval, "estimator": estimator, "subtracted": subtracted,
            "whole_change_share": profile.get(0), "residual_share": profile.get(256), "subtracted_rank": noob.get("subtracted_rank"),
            "worst_part": max(parts, key=lambda p: p[3]) if parts else None, "problems": problems, "right": not problems}


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def table(rows):
    lines = ["| candidate | maker | method | recipe's share | planted: whole / on changed support | measured [95% interval] | estimator | whole change → beyond rank 256 | worst part (planted → measured) | verdict | right |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        interval = f"[{fmt(r['interval'][0])}, {fmt(r['interval'][1])}]" if r["interval"] else ""
        worst = r["worst_part"]
        worst_text = f"{worst[0]} {fmt(worst[1], 2)} → {fmt(worst[2], 2)}" if worst else ""
        planted = fmt(r["planted_whole"]) + (f" / {fmt(r['planted_support'])}" if r["planted_support"] is not None else "")
        spectral = "" if r.get("whole_change_share") is None else \
            f"{fmt(r['whole_change_share'])} → {fmt(r['residual_share'])}" + (f" (LN014, rank ≤ {r['subtracted_rank']})" if r.get("subtracted") else "")
        right = "yes" if r["right"] else "**no**: " + ", ".join(r["problems"])
        lines.append(f"| {r['candidate']} | {r['maker']} | {r['method']} | {fmt(r['planted_nominal'], 2)} | {planted} | "
                     f"{fmt(r['share'])} {interval} | {r['estimator'] or ''} | {spectral} | {worst_text} | {r['verdict']} | {right} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pedigree", default=os.path.join(ROOT, ".build/release/pedigree"))
    parser.add_argument("--dir", default=os.environ.get("ZOO_DIR", "/tmp/pedigree-zoo"))
    parser.add_argument("--width-divisor", type=int, default=16)
    parser.add_argument("--mecha", action="store_true", help="also judge sd-mecha's merges")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with sd-mecha (for --mecha)")
    parser.add_argument("--recipe", default=os.path.join(ROOT, "Scripts/recipes/merge-zoo.yaml"),
                        help="the recipe whose candidates are judged (references as in the merge zoo)")
    parser.add_argument("--only", action="append", default=[], help="judge only these candidates")
    parser.add_argument("--json", help="also write the rows as JSON here")
    parser.add_argument("--family", help="a family of this recipe and width already made (read only: results, fingerprints "
                                         "and sd-mecha's merges go under --dir), instead of synthesising one")
    parser.add_argument("--fingerprints", action="store_true",
                        help="compare against fingerprints of the references (each made with a spectral sample against its parent) instead of the checkpoints")
    options = parser.parse_args()

    if not os.path.exists(options.recipe):
        options.recipe = os.path.join(ROOT, options.recipe)  # relative to the repository
    stem = os.path.splitext(os.path.basename(options.recipe))[0]
    if options.family:
        family, work = options.family, options.dir
    else:
        family = os.path.join(options.dir, f"div{options.width_divisor}" if stem == "merge-zoo" else f"{stem}-div{options.width_divisor}")
        work = family
        synthesize(options.pedigree, family, options.width_divisor, options.recipe)
    with open(os.path.join(family, "family.json")) as handle:
        truth = {m["name"]: m for m in json.load(handle)["models"]}
    try:
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import torch  # noqa: F401
        independent = True
    except ImportError:
        independent = False
        print("zoo: numpy, torch or safetensors missing: scoring the synth's candidates against family.json", file=sys.stderr)
        if options.mecha:
            sys.exit("zoo: --mecha needs numpy, torch and safetensors (run it with the oracle interpreter)")
    candidates = []
    for name, entry in truth.items():
        if entry.get("role") != "candidate" or (options.only and name not in options.only):
            continue
        path, recorded = os.path.join(family, entry["file"]), planted_from_family(entry)
        planted = planted_from_numpy(recorded["method"], recorded["nominal"], measured_truth(family, path)) if independent else recorded
        candidates.append((name, path, "pedigree synth", planted))
    if options.mecha:
        mecha_dir = os.path.join(work, "mecha")
        make_mecha(options.python, family, mecha_dir)
        for name, spec, nominal in MECHA:
            if options.only and name not in options.only:
                continue
            path = os.path.join(mecha_dir, name + ".safetensors")
            candidates.append((name, path, "sd-mecha", planted_from_numpy(spec["method"], nominal, measured_truth(family, path))))

    results = os.path.join(work, "results")
    os.makedirs(results, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1", PEDIGREE_CACHE_DIR=os.path.join(options.dir, "cache"))
    present = [r for r in REFERENCES if os.path.exists(os.path.join(family, r + ".safetensors"))]
    refs = [arg for r in present for arg in ("--ref", f"{r}={os.path.join(family, r + '.safetensors')}")]
    if options.fingerprints:
        # A hub's set-up: each reference as a fingerprint, each carrying the spectral sample of
        # its change from its parent reference (the un-merge check without the checkpoints).
        prints = os.path.join(work, "fingerprints")
        os.makedirs(prints, exist_ok=True)
        refs = []
        for r in present:
            out, parent = os.path.join(prints, r + ".safetensors"), truth.get(r, {}).get("parent")
            command = [options.pedigree, "fingerprint", os.path.join(family, r + ".safetensors"), "--id", r, "-o", out]
            if parent in present:
                command += ["--spectral-ancestor", f"{parent}={os.path.join(family, parent + '.safetensors')}"]
            run(command, env=env)
            refs += ["--ref", f"{r}={out}"]
    paths = []
    for index, (name, path, _, _) in enumerate(candidates):
        print(f"zoo: [{index + 1}/{len(candidates)}] comparing {name}", file=sys.stderr)
        out = os.path.join(results, name + ".json")
        run([options.pedigree, "compare", path, *refs, "--policies", os.path.join(ROOT, "Policies"),
             "--format", "json", "-o", out], env=env)
        paths.append(out)
    classified = run([options.pedigree, "classify", *paths, "--policies", os.path.join(ROOT, "Policies"), "--format", "json"], env=env)
    reports = json.loads(classified.stdout)
    reports = reports if isinstance(reports, list) else [reports]

    rows = []
    for (name, _, maker, planted), report in zip(candidates, reports):
        row = judge(name, report, planted)
        row["maker"] = maker
        rows.append(row)
    print(table(rows))
    wrong = [r["candidate"] for r in rows if not r["right"]]
    noob = [r for r in rows if r["expected"] == "NoobAI"]
    print(f"\n{len(rows) - len(wrong)} of {len(rows)} judged right; NoobAI carriers caught: "
          f"{sum(r['verdict'] == 'NoobAI' for r in noob)}/{len(noob)}; Illustrious-only accused: "
          f"{sum(r['verdict'] == 'NoobAI' for r in rows if r['expected'] != 'NoobAI')}/{len(rows) - len(noob)}"
          f" (width divisor {options.width_divisor}).")
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(rows, handle, indent=1)
    if wrong:
        print("wrong: " + ", ".join(wrong), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
