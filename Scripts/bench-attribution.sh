#!/usr/bin/env bash
# What attribution costs: `pedigree compare` with and without it (--no-attribution) on the
# same half-width SDXL files, for a dense merge (a 25% weighted sum: the support probe finds
# nothing to do) and a TIES merge (most weights equal to the base: the support Gram runs).
# Prints medians of 5 alternating runs, the ratio and peak memory. Target: ≤ 1.05.
#
#   Scripts/bench-attribution.sh            (files go to $BENCH_DIR, default /tmp/pedigree-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench}
DIR="$BENCH_DIR/zoo-div2"
MEASURE="python3 $ROOT/Scripts/bench/measure.py"
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache"
REFS="sdxl-base-1.0 illustrious-xl-v0.1 illustrious-xl-v2.0 noobai-xl-eps-1.0"
CANDIDATES="noob-ws-25 noob-ties"

swift build -c release --product pedigree >/dev/null
PEDIGREE="$ROOT/.build/release/pedigree"
if [[ ! -f "$DIR/family.json" ]]; then
    echo "generating half-width zoo models into $DIR (about 10 GB) ..." >&2
    only=(); for m in $REFS $CANDIDATES; do only+=(--only "$m"); done
    "$PEDIGREE" synth "$ROOT/Scripts/recipes/merge-zoo.yaml" --out "$DIR" --width-divisor 2 "${only[@]}" >/dev/null
fi
refs=(); for r in $REFS; do refs+=(--ref "$r=$DIR/$r.safetensors"); done

for c in $CANDIDATES; do
    cat "$DIR/$c.safetensors" $(for r in $REFS; do printf '%s/%s.safetensors ' "$DIR" "$r"; done) >/dev/null
    "$PEDIGREE" compare "$DIR/$c.safetensors" "${refs[@]}" --format json >/dev/null   # warm the hash cache
    on=(); off=()
    for i in 1 2 3 4 5; do
        on+=("$($MEASURE with -- "$PEDIGREE" compare "$DIR/$c.safetensors" "${refs[@]}" --format json)")
        off+=("$($MEASURE without -- "$PEDIGREE" compare "$DIR/$c.safetensors" "${refs[@]}" --format json --no-attribution)")
    done
    printf '%s\n' "${on[@]}" > "$BENCH_DIR/attr-on.jsonl"
    printf '%s\n' "${off[@]}" > "$BENCH_DIR/attr-off.jsonl"
    python3 - "$c" "$BENCH_DIR/attr-on.jsonl" "$BENCH_DIR/attr-off.jsonl" <<'PY'
import json, statistics, sys
name, on_path, off_path = sys.argv[1:]
load = lambda p: [json.loads(l) for l in open(p) if l.strip()]
on, off = load(on_path), load(off_path)
t_on, t_off = statistics.median(x["seconds"] for x in on), statistics.median(x["seconds"] for x in off)
c_on, c_off = statistics.median(x["cpu_seconds"] for x in on), statistics.median(x["cpu_seconds"] for x in off)
m_on, m_off = max(x["peak_mb"] for x in on), max(x["peak_mb"] for x in off)
print(f"{name:12s} compare: with attribution {t_on:6.2f} s wall, {c_on:6.2f} s CPU (peak {m_on:5.0f} MB); "
      f"without {t_off:6.2f} s wall, {c_off:6.2f} s CPU (peak {m_off:5.0f} MB); "
      f"ratio {t_on / t_off:.3f} wall, {c_on / c_off:.3f} CPU (target ≤ 1.05)")
PY
done
