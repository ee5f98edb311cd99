#!/usr/bin/env bash
# Benchmarks reading a checkpoint in the forms it is published in, on full-size SDXL files
# (F16, page cache warm): `pedigree compare` of the same candidate as one file, as a
# diffusers folder (sharded UNet, q/k/v split, projection transposed) and as three shards,
# against the same three references; then `pedigree audit` of a rank-64 LoRA extracted
# from NoobAI's change (kohya naming) against the audit of a merged checkpoint.
# Prints median wall and CPU times of 3 runs, the ratios, peak memory and the figures'
# largest difference from the single file's.
#
#   BENCH_SCRATCH=.build-release Scripts/bench-layouts.sh
#   WIDTH=2 BENCH_SCRATCH=.build-release Scripts/bench-layouts.sh   # half width (a quarter of the bytes)
#
# At WIDTH=N every width is divided by N and the LoRA's rank is 64/N.
# The folder and the LoRA are written by Tests/Oracles (sd-mecha's key functions and
# torch's SVD, not Pedigree's code), with the oracle venv's Python (.build/oracle-venv,
# made by `swift test` or .ci/run). Files go to $BENCH_DIR (default /tmp/pedigree-bench/
# layouts); about 42/N² GB while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WIDTH=${WIDTH:-1}
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench/layouts-div$WIDTH}
RANK=$((64 / WIDTH))
MEASURE="python3 $ROOT/Scripts/bench/measure.py"
PYTHON=${ORACLE_PYTHON:-$ROOT/.build/oracle-venv/bin/python}
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache"
mkdir -p "$BENCH_DIR"

SCRATCH=${BENCH_SCRATCH:-.build}
swift build -c release --product pedigree --scratch-path "$SCRATCH" >/dev/null
PEDIGREE="$ROOT/$SCRATCH/release/pedigree"
MODELS=(sdxl-base-1.0 illustrious-xl-v0.1 noobai-xl-eps-1.0 candidate-noob-merge)
for model in "${MODELS[@]}"; do
    if [[ ! -f "$BENCH_DIR/$model.safetensors" ]]; then
        echo "generating $model (width ÷$WIDTH) ..." >&2
        "$PEDIGREE" synth "$ROOT/Scripts/recipes/demo-family.yaml" --out "$BENCH_DIR" --width-divisor "$WIDTH" --dtype f16 --only "$model" >/dev/null
    fi
done
CANDIDATE="$BENCH_DIR/candidate-noob-merge.safetensors"
[[ -d "$BENCH_DIR/diffusers" ]] || { echo "writing the diffusers folder ..." >&2; "$PYTHON" Tests/Oracles/to_diffusers.py diffusers "$CANDIDATE" "$BENCH_DIR/diffusers" 2 >/dev/null; }
[[ -d "$BENCH_DIR/sharded" ]] || { echo "writing the shards ..." >&2; "$PYTHON" Tests/Oracles/to_diffusers.py sharded "$CANDIDATE" "$BENCH_DIR/sharded" 3 >/dev/null; }
LORA="$BENCH_DIR/noob-extract-r$RANK.safetensors"
[[ -f "$LORA" ]] || { echo "extracting a rank-$RANK LoRA ..." >&2; "$PYTHON" Tests/Oracles/make_lora.py extract "$BENCH_DIR/illustrious-xl-v0.1.safetensors" "$BENCH_DIR/noobai-xl-eps-1.0.safetensors" "$LORA" "$RANK" illustriousXL_v01.safetensors >/dev/null; }

REFS=()
for model in sdxl-base-1.0 illustrious-xl-v0.1 noobai-xl-eps-1.0; do REFS+=(--ref "$model=$BENCH_DIR/$model.safetensors"); done
NO_LOGIT=(--exclude conditioner.embedders.1.model.logit_scale)   # a diffusers folder has none
# Hashes cached and page cache warm before timing: the runs measure reading and comparing.
"$PEDIGREE" compare "$CANDIDATE" "${REFS[@]}" "${NO_LOGIT[@]}" --format json > "$BENCH_DIR/single.json"
"$PEDIGREE" compare "$BENCH_DIR/diffusers" "${REFS[@]}" --format json > "$BENCH_DIR/folder.json"
"$PEDIGREE" compare "$BENCH_DIR/sharded/model.safetensors.index.json" "${REFS[@]}" "${NO_LOGIT[@]}" --format json > "$BENCH_DIR/shards.json"
"$PEDIGREE" audit "$LORA" "${REFS[@]}" --format json --no-reports > "$BENCH_DIR/lora.json" || true
results=()
for round in 1 2 3; do
    results+=("$($MEASURE single -- "$PEDIGREE" compare "$CANDIDATE" "${REFS[@]}" "${NO_LOGIT[@]}" --format json)")
    results+=("$($MEASURE diffusers -- "$PEDIGREE" compare "$BENCH_DIR/diffusers" "${REFS[@]}" --format json)")
    results+=("$($MEASURE sharded -- "$PEDIGREE" compare "$BENCH_DIR/sharded/model.safetensors.index.json" "${REFS[@]}" "${NO_LOGIT[@]}" --format json)")
    results+=("$($MEASURE audit-merge -- "$PEDIGREE" audit "$CANDIDATE" "${REFS[@]}" --format json --no-reports)")
    results+=("$($MEASURE audit-lora -- "$PEDIGREE" audit "$LORA" "${REFS[@]}" --format json --no-reports)")
done
python3 - "$BENCH_DIR" "$WIDTH" "${results[@]}" <<'PY'
import json, statistics, sys
folder = sys.argv[1]
runs = [json.loads(a) for a in sys.argv[3:]]
def med(label, key="seconds"): return statistics.median(r[key] for r in runs if r["label"] == label)
def peak(label): return max(r["peak_mb"] for r in runs if r["label"] == label)
def figures(path):
    j = json.load(open(path)); out = {}
    for r in j["references"]:
        for k in ("mean_cosine", "parameter_weighted_cosine", "flat_cosine", "relative_l2"): out[r["id"] + "." + k] = r[k]
        for c in r["components"]: out[r["id"] + "." + c["name"]] = c["mean_cosine"]
        for b in r.get("blocks", []): out[r["id"] + ".block." + b["name"]] = b["mean_cosine"]
    for r in (j.get("attribution") or {}).get("references", []): out[r["id"] + ".share"] = r["share"]
    return out
single = figures(f"{folder}/single.json")
for name in ("folder", "shards"):
    other = figures(f"{folder}/{name}.json")
    print(f"{name:9s}: {len(single)} figures, largest difference from the single file {max(abs(single[k] - other[k]) for k in single):.2e}")
lora = json.load(open(f"{folder}/lora.json"))
share = next(r for r in lora["attribution"]["references"] if r["id"] == "noobai-xl-eps-1.0")
print(f"width ÷{sys.argv[2]}; LoRA (rank {64 // int(sys.argv[2])}, claims Illustrious): inherits {lora['inherits_from']}; NoobAI share {share['share']:.3f} {share['interval']}")
print("median of 3 runs, page cache warm, hashes cached")
for label in ("single", "diffusers", "sharded", "audit-merge", "audit-lora"):
    print(f"{label:12s}: {med(label):6.2f} s wall, {med(label, 'cpu_seconds'):6.2f} s CPU, peak {peak(label):6.0f} MB")
print(f"diffusers / single : {med('diffusers') / med('single'):5.2f} ×")
print(f"sharded / single   : {med('sharded') / med('single'):5.2f} ×")
print(f"LoRA / merge audit : {med('audit-lora') / med('audit-merge'):5.2f} ×")
PY
