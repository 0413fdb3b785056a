#!/usr/bin/env bash
# Runs every test of Orbit, installing what is missing (idempotent):
# format, clippy, native unit tests, browser tests in headless Chromium (CPU backends and
# WebGPU), then end-to-end tests with Playwright against the built site.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../web/setup.sh"
started=$SECONDS
elapsed() { printf '   (%d min %d s so far)\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing from Debian: ${missing[*]}"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
if [ ! -d tests/node_modules/playwright-core ]; then
  say "installing the Playwright client (playwright-core, no browser download)"
  (cd tests && npm ci --no-audit --no-fund)
fi

say "cargo fmt --check"
cargo fmt --all --check
say "cargo clippy (native crates)"
cargo clippy --workspace --all-targets -- -D warnings
elapsed
say "native unit tests"
cargo test --workspace
elapsed

say "cargo clippy (the web app, wasm32)"
cargo clippy --release --target wasm32-unknown-unknown -p orbit-web --all-targets -- -D warnings
elapsed
say "browser tests in headless Chromium (wasm-bindgen-test)"
log="$(mktemp)"
cargo test --release --target wasm32-unknown-unknown -p orbit-web --test browser 2>&1 | tee "$log"
if grep -q "no tests to run" "$log"; then
  echo "a wasm test binary ran no test" >&2
  exit 1
fi
grep -q "test result: ok" "$log"
elapsed

say "building the site (trunk build --release)"
trunk build --release
elapsed
say "end-to-end tests (Playwright, Debian's Chromium)"
(cd tests && npm test)
elapsed
say "all tests passed"
