#!/usr/bin/env bash
# Where unsafe pointer code lives: every Swift file under Sources/ with the number of its
# lines that name an Unsafe… type or Unmanaged (most first), then the C kernels, which are
# pointer code throughout (line counts). The README's list in "Architecture" is this output.
#
#   Scripts/unsafe-sites.sh
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rc --include='*.swift' -E 'Unsafe|Unmanaged' Sources | grep -v ':0$' | sort -t: -k2,2nr -k1,1 |
    sed -E 's|^Sources/([^:]*)\.swift:([0-9]+)$|\1 (\2)|'
for file in Sources/CPedigreeKernels/*.c; do
    echo "${file#Sources/} ($(wc -l < "$file") lines, all pointer code)"
done
