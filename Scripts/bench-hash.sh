#!/usr/bin/env bash
# Measures `pedigree inspect` (all four hashes in one read) against `openssl dgst -sha256`
# and coreutils `sha256sum` on a full-size SDXL checkpoint, page cache warm.
#
#   Scripts/bench-hash.sh [FILE]      (default /tmp/pedigree-bench-sdxl.safetensors)
#   RUNS=5 KEEP=1 Scripts/bench-hash.sh
#
# Generates FILE if missing: a valid safetensors header with the SDXL layout of
# ../shared/data/sdxl-keys.json beside the repository (or $SDXL_KEYS) as F16 and pseudo-random data, 6.9 GB.
# Builds the release binary if needed. Prints the median of RUNS runs of each tool and the
# ratio pedigree / openssl (the issue requires <= 1.2). Deletes a generated file at the end
# unless KEEP=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILE=${1:-/tmp/pedigree-bench-sdxl.safetensors}
RUNS=${RUNS:-3}
KEYS=${SDXL_KEYS:-$ROOT/../shared/data/sdxl-keys.json}
PEDIGREE="$ROOT/.build/release/pedigree"
GENERATED=0

if [ ! -f "$FILE" ]; then
    echo "generating $FILE from $KEYS ..." >&2
    python3 - "$KEYS" "$FILE" <<'PY'
import json, os, sys
keys, out = sys.argv[1], sys.argv[2]
layout = json.load(open(keys))["tensors"]
header, offset = {"__metadata__": {"format": "pt", "note": "pedigree hash benchmark"}}, 0
for t in layout:
    n = 2
    for d in t["shape"]:
        n *= d
    header[t["name"]] = {"dtype": "F16", "shape": t["shape"], "data_offsets": [offset, offset + n]}
    offset += n
raw = json.dumps(header, separators=(",", ":")).encode()
raw += b" " * ((8 - len(raw) % 8) % 8)
chunk = bytearray(os.urandom(64 << 20))
tmp = out + ".partial"
with open(tmp, "wb") as f:
    f.write(len(raw).to_bytes(8, "little"))
    f.write(raw)
    left, i = offset, 0
    while left > 0:
        chunk[0:8] = i.to_bytes(8, "little")   # no two chunks alike
        n = min(left, len(chunk))
        f.write(memoryview(chunk)[:n])
        left -= n
        i += 1
os.rename(tmp, out)
print(f"{out}: {8 + len(raw) + offset} bytes, {len(layout)} tensors", file=sys.stderr)
PY
    GENERATED=1
fi

if [ ! -x "$PEDIGREE" ]; then
    (cd "$ROOT" && swift build -c release --product pedigree >&2)
fi

echo "warming the page cache ..." >&2
cat "$FILE" > /dev/null
cat "$FILE" > /dev/null

# Median wall time in seconds of RUNS runs of the given command (output discarded).
median() {
    local times=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s.%N)
        "$@" > /dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'
    echo -n "   (runs:" >&2; printf ' %.2f' "${times[@]}" >&2; echo ")" >&2
}

SIZE=$(stat -c %s "$FILE")
echo "file: $FILE ($SIZE bytes), $RUNS runs each, median wall seconds"
echo -n "openssl dgst -sha256 ... " >&2; OPENSSL=$(median openssl dgst -sha256 "$FILE")
echo -n "sha256sum ............. " >&2; SHA256SUM=$(median sha256sum "$FILE")
echo -n "pedigree inspect ...... " >&2; PED=$(median "$PEDIGREE" inspect "$FILE")
RATIO=$(echo "$PED / $OPENSSL" | bc -l)
printf 'openssl dgst -sha256   %6.2f s\n' "$OPENSSL"
printf 'sha256sum              %6.2f s\n' "$SHA256SUM"
printf 'pedigree inspect       %6.2f s\n' "$PED"
printf 'ratio pedigree/openssl %6.2f (limit 1.20)\n' "$RATIO"

# The hashes agree with openssl's.
WANT=$(openssl dgst -sha256 -r "$FILE" | cut -d' ' -f1)
GOT=$("$PEDIGREE" inspect "$FILE" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["hashes"]["sha256"])')
[ "$WANT" = "$GOT" ] && echo "sha256 agrees with openssl: $GOT" || { echo "sha256 MISMATCH: openssl $WANT, pedigree $GOT"; exit 1; }

if [ "$GENERATED" = 1 ] && [ "${KEEP:-0}" != 1 ]; then rm -f "$FILE"; echo "removed $FILE" >&2; fi
