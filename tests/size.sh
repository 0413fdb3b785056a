#!/usr/bin/env bash
# The page's download size, raw and gzipped (gzip -9), in two parts:
# - the page: every file of dist/ that a visit fetches (the page's own wasm module and its
#   JavaScript, CSS, HTML, icons, the worker's script; the digits' CSV download link is not
#   fetched). This is everything a visitor downloads unless a run needs WebGPU or NdArray.
# - the module with every backend (orbit-backends*: WebGPU and NdArray), which a worker fetches
#   only when a run needs one of them (README, "Backends").
# Fails when either gzipped total grows more than 5% over its line of tests/size-budget.txt;
# lower the budget as the page shrinks. Usage: bash tests/size.sh [dist]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist="${1:-dist}"
budget_file=tests/size-budget.txt
mapfile -t budgets < <(grep -v '^#' "$budget_file" | sed 's/[[:space:]]//g' | grep -v '^$')
status=0
# Prints the files of one part and checks their gzipped total against `budget`.
measure() {
  local label=$1 budget=$2
  shift 2
  local raw=0 gz=0 f r g
  for f in "$@"; do
    [ -f "$f" ] || continue
    r=$(stat -c %s "$f")
    g=$(gzip -9 -c "$f" | wc -c)
    printf '  %-48s %10d bytes, %9d gzipped\n' "$(basename "$f")" "$r" "$g"
    raw=$((raw + r))
    gz=$((gz + g))
  done
  local limit=$((budget + budget / 20))
  printf '%s: %d bytes, %d gzipped (budget %d, limit +5%% = %d)\n' "$label" "$raw" "$gz" "$budget" "$limit"
  if [ "$gz" -gt "$limit" ]; then
    echo "$label grew past its size budget: $gz > $limit gzipped bytes ($budget_file)" >&2
    status=1
  fi
}
page=()
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/*.html "$dist"/*.svg; do
  case "$(basename "$f")" in orbit-backends*) ;; *) page+=("$f") ;; esac
done
measure "page size" "${budgets[0]}" "${page[@]}"
measure "module with every backend" "${budgets[1]}" "$dist"/orbit-backends*
exit "$status"
