#!/usr/bin/env bash
# Installs what building Orbit's web app needs, skipping whatever is already there:
# the wasm32 target, Trunk, wasm-bindgen-cli at the version Cargo.lock pins, and binaryen's
# wasm-opt 132 from npm (tests/package.json; Debian's binaryen 108 breaks the module).
# Sourced by web/serve.sh and tests/run.sh; works with only the package registries reachable.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION="0.22.0-beta.1" # newer Trunks need rustc 1.96
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

say() { printf '\n== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then
  # Trunk only runs other tools (cargo, wasm-bindgen, wasm-opt) and copies files, so an
  # unoptimised build without debug info is enough and compiles in about half the time (10 min
  # on 2 cores instead of 20-35); without its default features it has no TLS stack and no update
  # check, which an offline build (Trunk.toml) does not use.
  say "installing Trunk $TRUNK_VERSION (about 10 minutes, once)"
  CARGO_PROFILE_DEV_DEBUG=0 \
    cargo install trunk --version "=$TRUNK_VERSION" --locked --debug --no-default-features
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: its lockfile pins a webpki-roots release the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v npm >/dev/null; then
  say "installing Node.js and npm from Debian"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
fi
if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ ! -d tests/node_modules/playwright-core ]; then
  say "installing binaryen 132 (wasm-opt) and the Playwright client from npm"
  (cd tests && npm ci --no-audit --no-fund)
fi
# Trunk takes the wasm-opt it finds first on PATH: binaryen 132 from npm, pinned in Trunk.toml.
export PATH="$PWD/tests/node_modules/.bin:$PATH"
say "fetching crates (Trunk builds offline)"
cargo fetch
