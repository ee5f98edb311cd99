#!/usr/bin/env bash
# Policy loading: the shipped folder against the set embedded in the executable, and the
# cost of `policy test` (16 cases) and `policy lint --strict` (with the stray-file walk).
#
#   Scripts/bench-policies.sh            (uses .build/release/pedigree, else .build/debug/pedigree)
#   RUNS=20 Scripts/bench-policies.sh
#
# Prints the median wall time of RUNS runs of each command and the ratio embedded / folder.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-10}
PEDIGREE="$ROOT/.build/release/pedigree"
[[ -x "$PEDIGREE" ]] || PEDIGREE="$ROOT/.build/debug/pedigree"
EMPTY=$(mktemp -d)
COPY=$(mktemp -d)
trap 'rm -rf "$EMPTY" "$COPY"' EXIT
cp "$PEDIGREE" "$COPY/pedigree"   # a copy outside the repository finds no Policies/: the embedded set

median() {  # median wall seconds of RUNS runs of "$@" (run from $EMPTY)
    python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time, statistics, os
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=os.environ["EMPTY"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PEDIGREE_POLICIES": ""})
    times.append(time.perf_counter() - t)
print(f"{statistics.median(times):.4f}")
PY
}
export EMPTY
echo "binary: $PEDIGREE, $RUNS runs each, median wall time"
FOLDER=$(median "$PEDIGREE" policy lint "$ROOT/Policies")
EMBEDDED=$(median "$COPY/pedigree" policy lint)
STRICT=$(median "$PEDIGREE" policy lint "$ROOT/Policies" --strict)
TESTS=$(median "$PEDIGREE" policy test "$ROOT/Policies")
HELP=$(median "$PEDIGREE" --version)
printf '%-42s %8.1f ms\n' "pedigree --version (process start)" "$(python3 -c "print($HELP*1000)")"
printf '%-42s %8.1f ms\n' "policy lint Policies/ (folder)" "$(python3 -c "print($FOLDER*1000)")"
printf '%-42s %8.1f ms\n' "policy lint (embedded set, copied binary)" "$(python3 -c "print($EMBEDDED*1000)")"
printf '%-42s %8.1f ms\n' "policy lint Policies/ --strict" "$(python3 -c "print($STRICT*1000)")"
printf '%-42s %8.1f ms\n' "policy test Policies/ (16 cases)" "$(python3 -c "print($TESTS*1000)")"
printf 'ratio embedded / folder: %.2f\n' "$(python3 -c "print($EMBEDDED/$FOLDER)")"
