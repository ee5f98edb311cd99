#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ (committed; rerun to regenerate).

Seeds are small valid inputs plus the hostile inputs that once crashed or that probe a
rule: the fuzzer mutates from them, so each parser starts from inputs it accepts.
"""
import json, pathlib, shutil, struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "corpus"


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def header(tensors, metadata=None):
    """A header JSON (text) and the data-section length its tensors cover."""
    entries, offset = {}, 0
    if metadata is not None:
        entries["__metadata__"] = metadata
    sizes = {"F16": 2, "BF16": 2, "F32": 4, "F64": 8, "I8": 1, "U8": 1, "BOOL": 1}
    for name, dtype, shape in tensors:
        n = 1
        for d in shape:
            n *= d
        size = n * sizes[dtype]
        entries[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    return json.dumps(entries, separators=(",", ":")), offset


def with_length(text, length):
    return struct.pack("<I", length) + text.encode()


SDXLISH = [
    ("conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight", "F16", [16, 8]),
    ("model.diffusion_model.input_blocks.0.0.weight", "F16", [4, 4, 3, 3]),
    ("model.diffusion_model.out.2.bias", "F32", [4]),
    ("first_stage_model.decoder.conv_in.weight", "BF16", [2, 4, 1, 1]),
]

# Safetensors header (4-byte data length, then header bytes).
for i, (tensors, meta) in enumerate([
    (SDXLISH, {"modelspec.architecture": "stable-diffusion-xl-v1-base", "modelspec.license": "openrail++"}),
    (SDXLISH[:1], None),
    ([("a", "F32", []), ("b", "I8", [0, 5]), ("c", "BOOL", [3])], {"ss_sd_model_name": "x\u001b[2Jy"}),
    ([], {}),
]):
    text, length = header(tensors, meta)
    put("FuzzSafetensorsHeader", f"valid-{i}", with_length(text, length))
put("FuzzSafetensorsHeader", "duplicate-metadata-key", with_length('{"__metadata__":{"license":"mit","license":"proprietary"}}', 0))
put("FuzzSafetensorsHeader", "zero-dim-overflow", with_length('{"t":{"dtype":"F16","shape":[0,4294967296,4294967296],"data_offsets":[0,0]}}', 0))
put("FuzzSafetensorsHeader", "size-overflow", with_length('{"t":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,0]}}', 0))

# Strict JSON.
for i, doc in enumerate([
    '{"a":[1,-0.5e+3,true,false,null],"b":{"c":"\\u00e9\\ud83d\\ude00\\n"}}', "[]", '"x"', "0", '{"k":1,"k":2}',
    "[" * 70 + "]" * 70, '"\\u0000\\u001b"', "-12.5E-7", '{"a" : [ 1 , 2 ] }',
]):
    put("FuzzStrictJSON", f"seed-{i}", doc)

# Fingerprint metadata: headers whose metadata marks them as fingerprints.
def fingerprint(shapes, stored, rate="1.0", seed="1592652198"):
    meta = {
        "pedigree.fingerprint": "1", "pedigree.sampling": "columns-v2", "pedigree.rate": rate, "pedigree.seed": seed,
        "pedigree.source_sha256": "0" * 64, "pedigree.id": "ref", "pedigree.architecture": "sdxl",
        "pedigree.shapes": json.dumps(shapes, separators=(",", ":")),
    }
    return header(stored, meta)[0]

put("FuzzFingerprintMetadata", "valid-small", fingerprint({"w": [4, 8]}, [("w", "F16", [4, 8])]))
put("FuzzFingerprintMetadata", "valid-two", fingerprint({"w": [4, 8], "v": [3, 2, 2]}, [("w", "F16", [4, 8]), ("v", "F32", [3, 4])]))
put("FuzzFingerprintMetadata", "sampled", fingerprint({"w": [2, 1000]}, [("w", "F16", [2, 128])], rate="0.008"))
put("FuzzFingerprintMetadata", "huge-dims-crash", fingerprint({"w": [1, 4294967296, 4294967296], "v": [4294967296, 34359738368]}, [("w", "F16", [1, 8])]))
put("FuzzFingerprintMetadata", "zero-rows", fingerprint({"w": [0, 4611686018427387904]}, [("w", "F16", [0, 0])]))
put("FuzzFingerprintMetadata", "bad-rate", fingerprint({"w": [4, 8]}, [("w", "F16", [4, 8])], rate="nan"))

# YAML: the shipped policies, manifests and recipes.
for path in sorted((ROOT / "Policies").rglob("*.yaml")):
    rel = path.relative_to(ROOT / "Policies")
    if rel.parts[0] in ("licences", "models") or rel.name == "classification.yaml":
        put("FuzzPolicyYAML", str(rel).replace("/", "-"), path.read_bytes())
put("FuzzManifestYAML", "release.yaml", (ROOT / "Policies/examples/release.yaml").read_bytes())
put("FuzzManifestYAML", "minimal.yaml", "name: m\nversion: '1'\nfile: m.safetensors\nbases: [sdxl-base-1.0]\nlicence: creativeml-openrail++-m\n")
put("FuzzManifestYAML", "anchors.yaml", "a: &x [1, 2]\nb: *x\n")
put("FuzzRecipeYAML", "demo-family.yaml", (ROOT / "Scripts/recipes/demo-family.yaml").read_bytes())
put("FuzzRecipeYAML", "lineage.yaml", """seed: 7
components:
  sdxl:  { kind: base, scale: 1.0 }
  noob:  { kind: delta, scale: 0.3, profile: { unet.middle_block: 1.5, clip_l: 0.5 } }
models:
  base:  { sdxl: 1 }
  full:  { sdxl: 1, noob: 1 }
  merge: { noob: 0.6, sdxl: 1 }
""")

# Compare results.
put("FuzzCompareResult", "headline.json", json.dumps({
    "candidate": {"path": "wai14.safetensors"},
    "references": [{"id": "noobai-xl-eps-1.0", "mean_cosine": 0.99348}, {"id": "illustrious-xl-v0.1", "mean_cosine": 0.9511}],
    "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.95641}]}))
put("FuzzCompareResult", "full.json", json.dumps({
    "schema": "pedigree.compare/1", "tool": {"name": "pedigree", "version": "0.1.0"}, "mode": "sampled",
    "candidate": {"path": "c.safetensors", "sha256": "ab" * 32, "kind": "checkpoint"}, "keys_compared": 3, "columns_compared": 12,
    "references": [{"id": "r", "path": "r.safetensors", "mean_cosine": 0.5, "parameter_weighted_cosine": 0.4, "flat_cosine": 0.3,
                    "relative_l2": 0.2, "interval": {"low": 0.4, "high": 0.6}, "components": [], "blocks": [], "deltas": []}],
    "baselines": [], "skipped": [{"name": "t", "reason": "missing", "files": ["r"], "detail": "absent"}]}))
put("FuzzCompareResult", "hostile.json", json.dumps({
    "candidate": {"path": "\u001b]0;owned\u0007<script>"}, "references": [{"id": "a\r\nb", "mean_cosine": 1e308}]}))

# Whole checkpoint files (8-byte length, header, data) for FuzzCheckpointFile.
def checkpoint(tensors, metadata=None):
    text, length = header(tensors, metadata)
    raw = text.encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    return struct.pack("<Q", len(raw)) + raw + bytes((i * 37 + 11) % 251 for i in range(length))

put("FuzzCheckpointFile", "two-tensors", checkpoint([("model.diffusion_model.out.2.weight", "F16", [4, 8]), ("model.diffusion_model.input_blocks.0.0.weight", "F32", [8, 4, 1, 1])]))
put("FuzzCheckpointFile", "empty-wide", checkpoint([("model.diffusion_model.out.0.weight", "F16", [0, 1 << 31]), ("w", "BF16", [3, 5])]))
put("FuzzCheckpointFile", "metadata", checkpoint([("w", "F16", [2, 3])], {"modelspec.title": "t\u001b[2J", "sd_merge_recipe": "{}"}))
put("FuzzCheckpointFile", "fingerprint", checkpoint([("w", "F16", [4, 8])], {
    "pedigree.fingerprint": "1", "pedigree.sampling": "columns-v2", "pedigree.rate": "1.0", "pedigree.seed": "7",
    "pedigree.source_sha256": "0" * 64, "pedigree.shapes": '{"w":[4,8]}'}))

print("seeds written under", CORPUS)
