#!/usr/bin/env bash
# F16/BF16 → F32 conversion speed of Pedigree's kernels, against memcpy-class bandwidth.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d)
cc -O2 -I "$ROOT/Sources/CPedigreeKernels/include" "$ROOT/Scripts/bench/convert_bench.c" "$ROOT/Sources/CPedigreeKernels/kernels.c" -o "$OUT/convert_bench" -lm
"$OUT/convert_bench"
python3 - <<'PY'
import numpy as np, time
a = np.ones(256 << 20, dtype=np.float16); b = np.empty(256 << 20, dtype=np.float32)
best = min((lambda t0: (np.copyto(b, a), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
c = np.empty_like(b); best_copy = min((lambda t0: (np.copyto(c, b), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(3))
print(f"numpy float16->float32  {a.nbytes/best/1e9:6.1f} GB/s of source")
print(f"numpy float32 copy      {b.nbytes/best_copy/1e9:6.1f} GB/s (memory bandwidth, one core)")
PY
rm -rf "$OUT"
