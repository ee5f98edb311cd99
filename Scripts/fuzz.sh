#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ and runs them.
#
#   Scripts/fuzz.sh [TARGET|all] [SECONDS]      (default: all, 60 s each)
#
# Targets: FuzzSafetensorsHeader FuzzStrictJSON FuzzFingerprintMetadata FuzzPolicyYAML
#          FuzzManifestYAML FuzzRecipeYAML FuzzCompareResult FuzzCheckpointFile
#
# Harnesses are built with `-sanitize=fuzzer,address` in their own package and build
# folder (.build-fuzz), so the root package's `swift build` / `swift test` never need the
# fuzzer runtime. Each target starts from the committed seeds in Fuzz/corpus/<target>/ and
# grows a working corpus in .build-fuzz/corpus/<target>/. A crash, ASan report, leak, timeout
# (10 s per input) or an allocation above 2 GB stops the run, writes the input to
# .build-fuzz/artifacts/<target>/ and makes this script exit non-zero. The last lines of each
# run's log (.build-fuzz/logs/<target>.log) hold libFuzzer's execs, cov and ft figures.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(FuzzSafetensorsHeader FuzzStrictJSON FuzzFingerprintMetadata FuzzPolicyYAML FuzzManifestYAML FuzzRecipeYAML FuzzCompareResult FuzzCheckpointFile)
target="${1:-all}"
seconds="${2:-60}"
if [[ "$target" == "all" ]]; then targets=("${ALL[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
    [[ " ${ALL[*]} " == *" $t "* ]] || { echo "unknown fuzz target '$t' (one of: ${ALL[*]})" >&2; exit 64; }
done

flags=(-c release --build-path ../.build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
(cd Fuzz && swift build "${flags[@]}" >&2)
bin="$(cd Fuzz && swift build "${flags[@]}" --show-bin-path)"

status=0
for t in "${targets[@]}"; do
    work=".build-fuzz/corpus/$t" artifacts=".build-fuzz/artifacts/$t/" log=".build-fuzz/logs/$t.log"
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    echo "== $t for ${seconds}s" >&2
    set +e
    "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts" "$work" "Fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    set -e
    # The summary: total executions, then the final coverage line.
    execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)"
    final="$(grep -E '^#[0-9]+' "$log" | tail -1)"
    echo "$t: rc=$rc execs=${execs:-?} | ${final:-no status line}" >&2
    if [[ $rc -ne 0 ]]; then
        status=1
        echo "$t FAILED; see $log and $artifacts" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|crash-|leak-|timeout-|oom-' "$log" | head -20 >&2 || true
    fi
done
exit $status
