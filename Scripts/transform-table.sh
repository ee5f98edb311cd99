#!/usr/bin/env bash
# The re-basin table (issue 27): every candidate of the copied-structure family audited as it
# is and re-basined by Tests/Oracles/permute.py (own mode: heads, head dimensions, feed-forward
# units, ResBlock channels, embedding MLPs, both text encoders; float64 function check), against
# SDXL base, Illustrious 0.1 and 2.0 and NoobAI. Prints, per candidate: the verdict (models
# inherited) and NoobAI's share before and after, and whether LN020 was raised.
# The suite's PermutedFamilyTests use width ÷32 and seeds 1–7 on seven candidates; other widths,
# SEED_BASE values and the candidates it leaves out are held out from it.
#
#   Scripts/transform-table.sh [DIVISOR]     (default 8; files in $BENCH_DIR)
#   SEED_BASE=100 Scripts/transform-table.sh 16
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIVISOR=${1:-8}
SEED_BASE=${SEED_BASE:-40}
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-transform-table}
PYTHON=${PEDIGREE_PYTHON:-$ROOT/.build/oracle-venv/bin/python}
REFS="sdxl-base-1.0 illustrious-xl-v0.1 illustrious-xl-v2.0 noobai-xl-eps-1.0"
CANDIDATES=${CANDIDATES:-"noob-ws-03 noob-ws-06 noob-ws-10-fp8 noob-dare-90 noob-ties-20 noob-lora-20 noob-lora-10 ill-look-30 ill-look-50 ill-look-80 ill-finetune ill-ft-a"}
SCRATCH=${BENCH_SCRATCH:-.build}
swift build -c release --product pedigree --scratch-path "$SCRATCH" >/dev/null
PEDIGREE="$ROOT/$SCRATCH/release/pedigree"
DIR="$BENCH_DIR/div$DIVISOR"
if [[ ! -f "$DIR/family.json" ]]; then
    only=(); for m in $REFS $CANDIDATES; do only+=(--only "$m"); done
    "$PEDIGREE" synth "$ROOT/Scripts/recipes/copied-structure.yaml" --out "$DIR" --width-divisor "$DIVISOR" "${only[@]}" >/dev/null
fi
refs=(); for r in $REFS; do refs+=(--ref "$r=$DIR/$r.safetensors"); done
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache"
seed=$SEED_BASE
: > "$DIR/table.jsonl"
for c in $CANDIDATES; do
    seed=$((seed + 1))
    permuted="$DIR/permuted/$c.safetensors"
    mkdir -p "$DIR/permuted"
    check=$("$PYTHON" Tests/Oracles/permute.py "$DIR/$c.safetensors" "$permuted" --seed "$seed" --check)
    "$PEDIGREE" audit "$DIR/$c.safetensors" "${refs[@]}" --format json --report-dir "$DIR/reports" > "$DIR/$c.plain.json" 2>/dev/null || [[ $? == 1 ]]
    "$PEDIGREE" audit "$permuted" "${refs[@]}" --format json --report-dir "$DIR/reports-permuted" > "$DIR/$c.permuted.json" 2>/dev/null || [[ $? == 1 ]]
    echo "{\"candidate\": \"$c\", \"seed\": $seed, \"oracle\": $check}" >> "$DIR/table.jsonl"
done
python3 - "$DIR" "$DIVISOR" <<'PY'
import json, sys
d, divisor = sys.argv[1:]
print(f"width ÷{divisor}: candidate | transform | verdict (inherits) before → after | NoobAI share before → after | LN020 before/after")
for line in open(f"{d}/table.jsonl"):
    row = json.loads(line)
    c = row["candidate"]
    a, b = (json.load(open(f"{d}/{c}.{k}.json")) for k in ("plain", "permuted"))
    share = lambda r: next(x["share"] for x in r["attribution"]["references"] if x["id"] == "noobai-xl-eps-1.0")
    ln020 = lambda r: "yes" if any(f["code"] == "LN020" for f in r["findings"]) else "no"
    worst = max(row["oracle"]["check"].values())
    same = "same" if a["inherits_from"] == b["inherits_from"] else "DIFFERENT"
    print(f"{c} | permuted, seed {row['seed']} (outputs within {worst:.0e}) | {','.join(a['inherits_from'])} → {same} | "
          f"{share(a):.4f} → {share(b):.4f} | {ln020(a)}/{ln020(b)}")
PY
