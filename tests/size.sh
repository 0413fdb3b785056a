#!/usr/bin/env bash
# The page's download size: every file of dist/ that a visit fetches (wasm, JavaScript, CSS,
# HTML, icons; the digits' CSV download link is not fetched), raw and gzipped (gzip -9). Fails
# when the gzipped total grows more than 5% over tests/size-budget.txt; lower the budget as the
# page shrinks. Usage: bash tests/size.sh [dist]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist="${1:-dist}"
budget_file=tests/size-budget.txt
budget=$(grep -v '^#' "$budget_file" | head -n 1 | tr -d '[:space:]')
raw=0
gz=0
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/*.html "$dist"/*.svg; do
  [ -f "$f" ] || continue
  r=$(stat -c %s "$f")
  g=$(gzip -9 -c "$f" | wc -c)
  printf '  %-48s %10d bytes, %9d gzipped\n' "$(basename "$f")" "$r" "$g"
  raw=$((raw + r))
  gz=$((gz + g))
done
limit=$((budget + budget / 20))
printf 'page size: %d bytes, %d gzipped (budget %d, limit +5%% = %d)\n' "$raw" "$gz" "$budget" "$limit"
if [ "$gz" -gt "$limit" ]; then
  echo "the page grew past its size budget: $gz > $limit gzipped bytes ($budget_file)" >&2
  exit 1
fi
