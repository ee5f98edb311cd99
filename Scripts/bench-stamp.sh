#!/usr/bin/env bash
# Benchmarks `pedigree stamp` (copy a checkpoint with new metadata, hashing it on the way)
# against `cp` of the same file, on a full-size SDXL file (6.94 GB F16), page cache warm.
# Prints wall times, the ratio, and peak memory.
#
#   Scripts/bench-stamp.sh
#
# `pedigree stamp` fsyncs its output before renaming it into place (the copy is durable
# when it returns); plain `cp` leaves the bytes in the page cache. Both are shown: `cp`,
# and `cp` followed by `sync` of the copy, the like-for-like baseline.
# Files go to $BENCH_DIR (default /tmp/pedigree-bench/stamp); about 21 GB while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench/stamp}
MEASURE="python3 $ROOT/Scripts/bench/measure.py"
export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache"
mkdir -p "$BENCH_DIR"

SCRATCH=${BENCH_SCRATCH:-.build}   # another build folder (e.g. .build-release) to keep a debug build intact
swift build -c release --product pedigree --scratch-path "$SCRATCH" >/dev/null
PEDIGREE="$ROOT/$SCRATCH/release/pedigree"
IN="$BENCH_DIR/candidate-noob-merge.safetensors"
if [[ ! -f "$IN" ]]; then
    echo "generating one full-size model into $BENCH_DIR ..." >&2
    "$PEDIGREE" synth "$ROOT/Scripts/recipes/demo-family.yaml" --out "$BENCH_DIR" --width-divisor 1 --dtype f16 --only candidate-noob-merge >/dev/null
fi

# An audit of that file: classify from headline figures, with the file's real SHA-256, so
# the stamp's check that IN is the audited file passes.
SHA=$("$PEDIGREE" inspect "$IN" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hashes"]["sha256"])')
python3 - "$IN" "$SHA" > "$BENCH_DIR/compare.json" <<'PY'
import json, sys
print(json.dumps({"candidate": {"path": sys.argv[1], "sha256": sys.argv[2]},
                  "references": [{"id": "illustrious-xl-v0.1", "mean_cosine": 0.9860},
                                 {"id": "noobai-xl-eps-1.0", "mean_cosine": 0.9935}],
                  "baselines": [{"a": "illustrious-xl-v0.1", "b": "noobai-xl-eps-1.0", "mean_cosine": 0.9564}]}))
PY
"$PEDIGREE" classify "$BENCH_DIR/compare.json" --format json > "$BENCH_DIR/audit.json" || true

OUT="$BENCH_DIR/out.safetensors"
cat "$IN" > /dev/null   # warm the page cache
results=()
for round in 1 2 3; do
    rm -f "$OUT"; sync
    results+=("$($MEASURE cp -- cp "$IN" "$OUT")")
    rm -f "$OUT"; sync
    results+=("$($MEASURE cp+sync -- sh -c "cp '$IN' '$OUT' && sync '$OUT'")")
    rm -f "$OUT"; sync
    results+=("$($MEASURE stamp -- "$PEDIGREE" stamp "$IN" -o "$OUT" --from "$BENCH_DIR/audit.json")")
done
"$PEDIGREE" inspect "$OUT" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
checks = [c for c in r.get("embedded_hash_checks", []) if c.get("key") == "modelspec.hash_sha256"]
print("stamped copy: AutoV3", r["hashes"]["autov3"], "| modelspec.hash_sha256 matches:", checks[0]["matches"] if checks else "absent")'
rm -f "$OUT"
python3 - "$(du -b "$IN" | cut -f1)" "${results[@]}" <<'PY'
import json, sys, statistics
size = int(sys.argv[1])
runs = [json.loads(a) for a in sys.argv[2:]]
def med(label): return statistics.median(r["seconds"] for r in runs if r["label"] == label)
def peak(label): return max(r["peak_mb"] for r in runs if r["label"] == label)
cp, cps, st = med("cp"), med("cp+sync"), med("stamp")
print(f"file: {size/1e9:.2f} GB; median of 3 runs each, page cache warm")
print(f"cp              : {cp:6.2f} s  ({size/cp/1e9:.2f} GB/s)   peak {peak('cp'):6.0f} MB")
print(f"cp + sync       : {cps:6.2f} s  ({size/cps/1e9:.2f} GB/s)   peak {peak('cp+sync'):6.0f} MB")
print(f"pedigree stamp  : {st:6.2f} s  ({size/st/1e9:.2f} GB/s)   peak {peak('stamp'):6.0f} MB")
print(f"stamp / cp      : {st/cp:6.2f} ×   (target ≤ 1.2 ×)")
print(f"stamp / cp+sync : {st/cps:6.2f} ×")
PY
