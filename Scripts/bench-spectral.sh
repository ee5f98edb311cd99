#!/usr/bin/env bash
# What the un-merge check (issue 12) costs: `pedigree compare --spectral` of a candidate
# against SDXL base, Illustrious 0.1 and NoobAI, with the spectral bases of the two reference
# pairs computed afresh (cold cache) and read back (warm cache), against `--no-attribution`
# and `cat` of the four files. The cold-minus-warm time is the pairs' spectral bases. Warm runs
# are ordinary comparisons (default budget): with the pairs cached, half- and full-size files
# read each pair's spectral sample (SpectralPass.exactProjectionLimit), smaller ones the bases.
# Prints medians of 3 runs (full size, DIVISOR 1: one cold run, COLD_RUNS to change) and peak
# memory, per width divisor.
#
# Then the hub's form of the same check: fingerprints of the three references, each made
# with a spectral sample against its parent (`fingerprint --spectral-ancestor`; the time to
# make them and the sample's share of the checkpoint are printed), and `compare` of the
# candidate against them with an empty hash cache (the candidate is hashed, as a new upload
# is), against `openssl dgst -sha256` of the candidate.
#
#   Scripts/bench-spectral.sh [DIVISOR ...]     (default: 16 8; files in $BENCH_DIR, default /tmp/pedigree-bench)
#   FINGERPRINTS_ONLY=1 Scripts/bench-spectral.sh 4   only the fingerprint part
#   REFERENCES_ONLY=1 COLD_RUNS=0 DROP_CACHES=1 Scripts/bench-spectral.sh 1   only the full-reference part, pairs already cached
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/pedigree-bench}
MEASURE_PY="python3 $ROOT/Scripts/bench/measure.py"
# DROP_CACHES=1 (root only): empty the page cache before every measured command, so that cat
# and Pedigree both read every byte from disk. At full size four files (27.8 GB) do not fit
# this machine's 23 GB of RAM, and which of them the previous command left cached makes
# consecutive timings differ by ±40%; from an empty cache they agree within a few percent.
measure() {
    if [[ -n "${DROP_CACHES:-}" ]]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
    $MEASURE_PY "$@"
}
MEASURE=measure
REFS="sdxl-base-1.0 illustrious-xl-v0.1 noobai-xl-eps-1.0"
CANDIDATE=noob-ws-60
DIVISORS=("$@"); [[ ${#DIVISORS[@]} -gt 0 ]] || DIVISORS=(16 8)

SCRATCH=${BENCH_SCRATCH:-.build}   # another build folder (e.g. .build-release) to keep a debug build intact
swift build -c release --product pedigree --scratch-path "$SCRATCH" >/dev/null
PEDIGREE="$ROOT/$SCRATCH/release/pedigree"
for d in "${DIVISORS[@]}"; do
    DIR="$BENCH_DIR/unmerge-div$d"
    if [[ ! -f "$DIR/family.json" ]]; then
        only=(); for m in $REFS $CANDIDATE; do only+=(--only "$m"); done
        "$PEDIGREE" synth "$ROOT/Scripts/recipes/unmerge-concentrated.yaml" --out "$DIR" --width-divisor "$d" "${only[@]}" >/dev/null
    fi
    refs=(); for r in $REFS; do refs+=(--ref "$r=$DIR/$r.safetensors"); done
    files=("$DIR/$CANDIDATE.safetensors"); for r in $REFS; do files+=("$DIR/$r.safetensors"); done
    export PEDIGREE_CACHE_DIR="$BENCH_DIR/cache-div$d"
    "$PEDIGREE" compare "${files[0]}" "${refs[@]}" --format json --no-attribution >/dev/null   # warm hashes and page cache
    out="$BENCH_DIR/spectral-div$d.jsonl"
    if [[ -z "${FINGERPRINTS_ONLY:-}" ]]; then   # FINGERPRINTS_ONLY=1: only the fingerprint part below
    : > "$out"
    # Full size: the bases once (minutes), then the audits that read the cached pair.
    cold_runs=${COLD_RUNS:-$([[ $d == 1 ]] && echo 1 || echo 3)}
    for i in 1 2 3; do
        $MEASURE cat -- cat "${files[@]}" >> "$out"
        $MEASURE plain -- "$PEDIGREE" compare "${files[0]}" "${refs[@]}" --format json --no-attribution >> "$out"
        if (( i <= cold_runs )); then
            rm -rf "$PEDIGREE_CACHE_DIR/spectral"
            $MEASURE cold -- "$PEDIGREE" compare "${files[0]}" "${refs[@]}" --format json --spectral >> "$out"
        fi
        # Warm: an ordinary audit's comparison (default budget), the pairs read from the cache.
        $MEASURE warm -- "$PEDIGREE" compare "${files[0]}" "${refs[@]}" --format json -o "$BENCH_DIR/spectral-div$d.json" >> "$out"
    done
    python3 - "$d" "$out" "$BENCH_DIR/spectral-div$d.json" <<'PY'
import json, statistics, sys
divisor, path, result = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
med = lambda label, key="seconds": statistics.median(r[key] for r in rows if r["label"] == label)
peak = lambda label: max(r["peak_mb"] for r in rows if r["label"] == label)
cat, plain, warm = med("cat"), med("plain"), med("warm")
cold = med("cold") if any(r["label"] == "cold" for r in rows) else None
print(f"width ÷{divisor}: cat of 4 files {cat:.2f} s; compare --no-attribution {plain:.2f} s ({plain / cat:.2f}× cat); "
      + (f"with the spectral profile, cold cache {cold:.2f} s ({cold / cat:.2f}× cat, peak {peak('cold'):.0f} MB), "
         f"two pairs' spectral bases {cold - warm:.2f} s ({med('cold', 'cpu_seconds') - med('warm', 'cpu_seconds'):.2f} s CPU); " if cold else "")
      + f"warm cache {warm:.2f} s ({warm / cat:.2f}× cat, peak {peak('warm'):.0f} MB)")
attribution = json.load(open(result))["attribution"]
noob = [r for r in attribution["references"] if r["id"] == "noobai-xl-eps-1.0"][0]
print(f"  warm result: NoobAI share {noob['share']:.3f} {noob.get('interval')}, profile "
      + ", ".join(f"{s['rank']}: {s['share']:.3f}" for s in noob.get("spectral") or [])
      + (f"; note: {attribution['spectral_note']}" if attribution.get("spectral_note") else ""))
PY
    fi

    [[ -n "${REFERENCES_ONLY:-}" ]] && continue
    # Fingerprints with spectral samples, then the fingerprint audit against hashing.
    FP="$DIR/fingerprints"; mkdir -p "$FP"
    parent=""; fprefs=()
    for r in $REFS; do
        args=("$PEDIGREE" fingerprint "$DIR/$r.safetensors" --id "$r" -o "$FP/$r.safetensors" --format json)
        [[ -n "$parent" ]] && args+=(--spectral-ancestor "$parent=$DIR/$parent.safetensors")
        [[ -f "$FP/$r.safetensors" ]] || $MEASURE "fingerprint-$r" -- "${args[@]}" >> "$BENCH_DIR/spectral-fp-make-div$d.jsonl"
        fprefs+=(--ref "$r=$FP/$r.safetensors"); parent=$r
    done
    "$PEDIGREE" inspect "$FP/noobai-xl-eps-1.0.safetensors" >/dev/null
    out="$BENCH_DIR/spectral-fp-div$d.jsonl"; : > "$out"
    for i in 1 2 3; do
        $MEASURE openssl -- openssl dgst -sha256 "${files[0]}" >> "$out"
        rm -rf "$BENCH_DIR/fpcache-div$d"
        PEDIGREE_CACHE_DIR="$BENCH_DIR/fpcache-div$d" $MEASURE fp -- "$PEDIGREE" compare "${files[0]}" "${fprefs[@]}" --format json -o "$BENCH_DIR/spectral-fp-div$d.json" >> "$out"
    done
    python3 - "$d" "$out" "$BENCH_DIR/spectral-fp-make-div$d.jsonl" "$BENCH_DIR/spectral-fp-div$d.json" "$FP" "$DIR" <<'PY'
import json, os, statistics, sys
divisor, path, made, result, prints, family = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
med = lambda label: statistics.median(r["seconds"] for r in rows if r["label"] == label)
ssl, fp = med("openssl"), med("fp")
peak = max(r["peak_mb"] for r in rows if r["label"] == "fp")
making = {r["label"]: r["seconds"] for r in (json.loads(l) for l in open(made) if l.strip())} if os.path.exists(made) else {}
noob = [r for r in json.load(open(result))["attribution"]["references"] if r["id"] == "noobai-xl-eps-1.0"][0]
size = lambda p: os.path.getsize(p)
print(f"width ÷{divisor} fingerprints: NoobAI's with its sample {size(prints + '/noobai-xl-eps-1.0.safetensors') / size(family + '/noobai-xl-eps-1.0.safetensors') * 100:.1f}% of the checkpoint"
      + (f", made in {making.get('fingerprint-noobai-xl-eps-1.0', float('nan')):.1f} s" if making else "")
      + f"; audit against them {fp:.2f} s (peak {peak:.0f} MB) vs openssl dgst -sha256 of the candidate {ssl:.2f} s: {fp / ssl:.2f}× hashing; "
      + f"NoobAI share {noob['share']:.3f} {noob.get('interval')}, profile " + ", ".join(f"{s['rank']}: {s['share']:.3f}" for s in noob.get("spectral") or []))
PY
done
