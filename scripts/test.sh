#!/usr/bin/env bash
# Runs the whole test suite: builds everything (installing what is missing) and runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
