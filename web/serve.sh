#!/usr/bin/env bash
# Serves Orbit at http://127.0.0.1:8080 with the default experiment, installing what is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
say "building and serving Orbit at http://127.0.0.1:8080 (the first release build takes about 15 minutes)"
exec trunk serve --release
