#!/usr/bin/env bash
# Times the test suite's two tiers: each one's build and test wall times and its slowest
# suites, for the README's Development section and the closing notes (issue 28).
#
#   Scripts/test-times.sh [quick|full|both]      (default: both)
#
#   quick  the README's `swift test` (debug build, quick tier)
#   full   `PEDIGREE_TEST_TIER=full swift test -c release` (every test; what .ci/run adds)
#
# Logs go to .build/test-times/<tier>.log. Suites run in parallel, so a suite's time is the
# wall time from its start to its end, waits for the machine's cores included: read the
# ranking, not the sum. Exit status: that of the first tier that failed, else 0.
set -uo pipefail
cd "$(dirname "$0")/.."

which="${1:-both}"
case "$which" in quick) tiers=(quick) ;; full) tiers=(full) ;; both) tiers=(quick full) ;;
    *) echo "usage: Scripts/test-times.sh [quick|full|both]" >&2; exit 64 ;; esac

mkdir -p .build/test-times
status=0
summary=()
for tier in "${tiers[@]}"; do
    log=".build/test-times/$tier.log"
    if [[ "$tier" == full ]]; then config=(-c release); export PEDIGREE_TEST_TIER=full; else config=(); unset PEDIGREE_TEST_TIER; fi
    start=$(date +%s)
    # `swift test` builds with testable imports (`swift build -c release` does not): let it
    # build and skip every test, then run them on that build.
    swift test "${config[@]}" --skip '.*' >"$log" 2>&1
    built=$(date +%s)
    swift test --skip-build "${config[@]}" >>"$log" 2>&1
    rc=$?
    done_at=$(date +%s)
    [[ $rc -ne 0 && $status -eq 0 ]] && status=$rc
    counts=$(grep -E 'Test run with [0-9]+ tests' "$log" | tail -1 | sed -E 's/.*(Test run with [0-9]+ tests.*)/\1/')
    summary+=("$tier: build $((built - start)) s, tests $((done_at - built)) s, exit $rc. ${counts:-no Swift Testing summary (see $log)}")
    echo "== $tier tier: slowest suites (start to end, parallel)"
    grep -E '(✔|✘) Suite .* after [0-9.]+ seconds' "$log" \
        | sed -E 's/.*Suite (.*) (passed|failed)( with [0-9]+ issues?)? after ([0-9.]+) seconds.*/\4 \1 \2/' \
        | sort -rn | head -12 | awk '{ printf "  %8.1f s  %s\n", $1, substr($0, index($0, $2)) }'
done
echo "== wall times"
printf '  %s\n' "${summary[@]}"
exit $status
