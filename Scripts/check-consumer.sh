#!/usr/bin/env bash
# Builds Examples/PedigreeKitConsumer, a package that depends on PedigreeKit by path, into
# a scratch folder of its own, then runs it: proof that another package can depend on this
# one (SwiftPM refuses unsafe flags in a dependency, and an undeclared import fails there).
#
#   Scripts/check-consumer.sh            (scratch: $CONSUMER_SCRATCH, default /tmp/pedigree-consumer-build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${CONSUMER_SCRATCH:-/tmp/pedigree-consumer-build}
cd "$ROOT/Examples/PedigreeKitConsumer"
swift build --scratch-path "$SCRATCH"
"$SCRATCH/debug/PedigreeKitConsumer"
