#!/usr/bin/env bash
# The whole test suite: set-up, build, then every unit, GUI and reference test and
# the benchmarks in quick mode, through CTest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${RAGWB_BUILD_DIR:-$repo/build}"
bash "$here/setup.sh"
bash "$here/build.sh"
export RAGWB_BENCH_QUICK=1
cd "$build" && ctest --output-on-failure --parallel "$(nproc)" "$@"
