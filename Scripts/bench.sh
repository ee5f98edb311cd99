#!/usr/bin/env bash
# Benchmarks Pedigree against the seed article's PyTorch method on the same generated
# files, and prints ratios and peak memory.
#
#   Scripts/bench.sh            half-width SDXL files (1.7 GB each): pedigree vs PyTorch
#   Scripts/bench.sh --full     also full-size files (6.9 GB each): pedigree vs `cat`
#   Scripts/bench.sh --full-only  only the full-size part
#
# Needs: python3 with torch, safetensors, numpy (pip install torch==2.13.0+cpu safetensors numpy).
# Files go to $BENCH_DIR (default /tmp/pedigree-bench); they are large, delete them after.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench}
FULL=0
HALF=1
[[ "${1:-}" == "--full" ]] && FULL=1
[[ "${1:-}" == "--full-only" ]] && FULL=1 && HALF=0
MEASURE="python3 $ROOT/Scripts/bench/measure.py"
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache"

swift build -c release --product pedigree >/dev/null
PEDIGREE="$ROOT/.build/release/pedigree"
REFS="illustrious-xl-v0.1 illustrious-xl-v2.0 noobai-xl-eps-1.0"
CANDIDATE=candidate-noob-merge

family() {  # family DIVISOR → generates the demo family at that width, once
    local dir="$BENCH_DIR/div$1"
    if [[ ! -f "$dir/family.json" ]]; then
        echo "generating the demo family at width divisor $1 into $dir ..." >&2
        local only=(--only "$CANDIDATE")
        for r in $REFS; do only+=(--only "$r"); done
        "$PEDIGREE" synth "$ROOT/Scripts/recipes/demo-family.yaml" --out "$dir" --width-divisor "$1" --dtype f16 "${only[@]}" >/dev/null
    fi
    echo "$dir"
}

refs_args() { for r in $REFS; do printf -- '--ref %s=%s/%s.safetensors ' "$r" "$1" "$r"; done; }
median() { python3 -c 'import sys,statistics,json; v=[json.loads(l) for l in sys.stdin]; print(json.dumps({"seconds": statistics.median(x["seconds"] for x in v), "peak_mb": max(x["peak_mb"] for x in v)}))'; }
field() { python3 -c "import sys,json; print(json.load(sys.stdin)['$1'])"; }

if [[ $HALF == 1 ]]; then
echo "== half-width SDXL (width divisor 2): one candidate against three references =="
DIR=$(family 2)
FILES="$DIR/$CANDIDATE.safetensors $(for r in $REFS; do printf '%s/%s.safetensors ' "$DIR" "$r"; done)"
cat $FILES >/dev/null   # warm the page cache
"$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" $(refs_args "$DIR") --format json >/dev/null  # warm the hash cache
P=$(for i in 1 2 3; do $MEASURE pedigree -- "$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" $(refs_args "$DIR") --format json; done | median)
T=$(for i in 1 2 3; do $MEASURE pytorch -- python3 "$ROOT/Scripts/bench/article_method.py" $FILES; done | median)
PS=$(echo "$P" | field seconds); PM=$(echo "$P" | field peak_mb)
TS=$(echo "$T" | field seconds); TM=$(echo "$T" | field peak_mb)
SIZE=$(du -cb $FILES | tail -1 | cut -f1)
python3 - "$PS" "$PM" "$TS" "$TM" "$SIZE" <<'PY'
import sys
ps, pm, ts, tm, size = map(float, sys.argv[1:])
print(f"files: 4 × {size/4/1e9:.2f} GB (F16)")
print(f"pedigree compare : {ps:7.2f} s   peak {pm:8.0f} MB")
print(f"pytorch (article): {ts:7.2f} s   peak {tm:8.0f} MB")
print(f"speed-up         : {ts/ps:7.1f} ×   (target ≥ 20 ×)")
PY

echo
echo "== agreement with PyTorch on these files =="
"$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" $(refs_args "$DIR") --format json > "$BENCH_DIR/pedigree.json"
python3 "$ROOT/Scripts/bench/article_method.py" $FILES > "$BENCH_DIR/torch.json"
python3 - "$BENCH_DIR/pedigree.json" "$BENCH_DIR/torch.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
worst = 0
for i, ref in enumerate(p["references"], start=1):
    d = abs(ref["mean_cosine"] - t[f"0-{i}"]); worst = max(worst, d)
    print(f"{ref['id']:24s} pedigree {ref['mean_cosine']:.7f}  torch {t[f'0-{i}']:.7f}  |Δ| {d:.1e}")
print(f"largest difference {worst:.1e} (must be < 1e-5)")
PY
fi

if [[ $FULL == 1 ]]; then
    echo
    echo "== full-size SDXL (6.9 GB each): pedigree vs cat of the four files =="
    DIR=$(family 1)
    FILES="$DIR/$CANDIDATE.safetensors $(for r in $REFS; do printf '%s/%s.safetensors ' "$DIR" "$r"; done)"
    "$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" $(refs_args "$DIR") --format json >/dev/null  # warm the hash cache
    echo "synth (one full-size model, 3 components) vs dd of the same bytes:"
    $MEASURE synth -- "$PEDIGREE" synth "$ROOT/Scripts/recipes/demo-family.yaml" --out "$BENCH_DIR/synth-check" --only noobai-xl-eps-1.0
    $MEASURE dd -- dd if="$BENCH_DIR/synth-check/noobai-xl-eps-1.0.safetensors" of="$BENCH_DIR/synth-check/copy" bs=8M conv=fsync
    rm -rf "$BENCH_DIR/synth-check"
    C=$($MEASURE cat -- sh -c "cat $FILES > /dev/null")
    P=$($MEASURE pedigree -- "$PEDIGREE" compare "$DIR/$CANDIDATE.safetensors" $(refs_args "$DIR") --format json)
    C2=$($MEASURE cat -- sh -c "cat $FILES > /dev/null")
    python3 - "$C" "$P" "$C2" <<'PY'
import json, sys
c, p, c2 = (json.loads(a) for a in sys.argv[1:])
cat = min(c["seconds"], c2["seconds"])
print(f"cat of the 4 files: {cat:7.2f} s")
print(f"pedigree compare  : {p['seconds']:7.2f} s   peak {p['peak_mb']:6.0f} MB   (targets: ≤ 1.5 × cat, ≤ 512 MB)")
print(f"ratio to cat      : {p['seconds']/cat:7.2f} ×")
PY
fi
