#!/usr/bin/env bash
# What a re-basin costs and changes (issue 27): a candidate of the copied-structure family
# compared with SDXL base, Illustrious 0.1 and NoobAI as it is and re-basined, side by side,
# with wall time and peak memory. The re-basin is made without Pedigree:
#   MODE=mecha (default at full size): sd-mecha's own `randperm` for SDXL (its permutation
#     graph and seeded permutations; Tests/Oracles/permute.py --mode mecha), which applies
#     only at SDXL's full shapes;
#   MODE=own (default below full size): Tests/Oracles/permute.py's heads, head dimensions,
#     feed-forward units, ResBlock channels, embedding MLPs and text encoders.
# Both check in float64 whether every permuted block's outputs are unchanged, and print the
# largest difference. (sd-mecha 1.1.8's UNet attention windows are a 64th of the channels,
# 10 or 20 dimensions, which straddle SDXL's 64-wide heads: that part changes the outputs.) Needs the oracle environment (.build/oracle-venv: swift test builds it,
# or python3 -m venv .build/oracle-venv && .build/oracle-venv/bin/pip install -r Tests/oracle-requirements.txt).
#
#   Scripts/bench-transform.sh [DIVISOR]        (default 1: full size, about 35 GB in $BENCH_DIR)
#   CANDIDATE=ill-finetune Scripts/bench-transform.sh 8
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIVISOR=${1:-1}
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench-transform}
CANDIDATE=${CANDIDATE:-noob-ws-06}
MODE=${MODE:-$([[ $DIVISOR == 1 ]] && echo mecha || echo own)}
PYTHON=${PEDIGREE_PYTHON:-$ROOT/.build/oracle-venv/bin/python}
MEASURE="python3 $ROOT/Scripts/bench/measure.py"
REFS="sdxl-base-1.0 illustrious-xl-v0.1 noobai-xl-eps-1.0"

SCRATCH=${BENCH_SCRATCH:-.build}
swift build -c release --product pedigree --scratch-path "$SCRATCH" >/dev/null
PEDIGREE="$ROOT/$SCRATCH/release/pedigree"
DIR="$BENCH_DIR/div$DIVISOR"
mkdir -p "$DIR"
if [[ ! -f "$DIR/$CANDIDATE.safetensors" ]]; then
    only=(); for m in $REFS $CANDIDATE; do only+=(--only "$m"); done
    "$PEDIGREE" synth "$ROOT/Scripts/recipes/copied-structure.yaml" --out "$DIR" --width-divisor "$DIVISOR" "${only[@]}" >/dev/null
fi
PERMUTED="$DIR/$CANDIDATE-$MODE-permuted.safetensors"
if [[ ! -f "$PERMUTED" ]]; then
    echo "re-basining $CANDIDATE ($MODE) ..." >&2
    # Exit 1 from the oracle: some block's outputs changed (printed below); the file is written.
    "$PYTHON" Tests/Oracles/permute.py "$DIR/$CANDIDATE.safetensors" "$PERMUTED" --mode "$MODE" --seed 27 --check > "$DIR/permute-$MODE.json" || true
    [[ -s "$PERMUTED" ]] || { echo "permute.py wrote nothing: $(cat "$DIR/permute-$MODE.json")" >&2; exit 1; }
fi
refs=(); for r in $REFS; do refs+=(--ref "$r=$DIR/$r.safetensors"); done
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache-div$DIVISOR"
"$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" "${refs[@]}" --format json --no-attribution >/dev/null   # hashes and page cache warm
out="$DIR/runs.jsonl"; : > "$out"
for i in 1 2 3; do
    $MEASURE plain -- "$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" "${refs[@]}" --format json -o "$DIR/plain.json" >> "$out"
    $MEASURE permuted -- "$PEDIGREE" compare "$PERMUTED" "${refs[@]}" --format json -o "$DIR/permuted.json" >> "$out"
done
python3 - "$DIVISOR" "$CANDIDATE" "$MODE" "$out" "$DIR/plain.json" "$DIR/permuted.json" "$DIR/permute-$MODE.json" <<'PY'
import json, statistics, sys
divisor, candidate, mode, runs, plain_path, permuted_path, oracle_path = sys.argv[1:]
rows = [json.loads(l) for l in open(runs) if l.strip()]
med = lambda label: statistics.median(r["seconds"] for r in rows if r["label"] == label)
peak = lambda label: max(r["peak_mb"] for r in rows if r["label"] == label)
plain, permuted = json.load(open(plain_path)), json.load(open(permuted_path))
oracle = json.load(open(oracle_path))
share = lambda result: [r for r in result["attribution"]["references"] if r["id"] == "noobai-xl-eps-1.0"][0]["share"]
changed = {k: v for k, v in oracle["check"].items() if v > 1e-9}
print(f"width ÷{divisor}, {candidate}, re-basined by {mode} ({oracle['kinds']}); block outputs in float64: "
      + (f"unchanged (largest relative difference {max(oracle['check'].values()):.1e})" if not changed
         else "CHANGED in " + ", ".join(f"{k} ({v:.2f})" for k, v in changed.items()) + "; unchanged elsewhere"))
print(f"  as it is:    {med('plain'):.2f} s, peak {peak('plain'):.0f} MB, NoobAI share {share(plain):.4f}, transform: {plain.get('transform')}")
t = permuted.get("transform")
print(f"  re-basined:  {med('permuted'):.2f} s ({med('permuted') / med('plain'):.2f}×), peak {peak('permuted'):.0f} MB, "
      f"NoobAI share {share(permuted):.4f}")
if t:
    print(f"  transform: {sum(a['permuted_groups'] for a in t['axes'])} groups against {t['reference']}, cosine "
          f"{t['cosine_before']:.3f} -> {t['cosine_after']:.3f}; " + ", ".join(f"{a['kind']} {a['permuted_groups']}/{a['groups']}" for a in t["axes"]))
else:
    print("  transform: none found")
PY
