#!/usr/bin/env bash
# Configures and builds into build/ (Release with debug info, Ninja).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${RAGWB_BUILD_DIR:-$repo/build}"
extra=()
[ "${CI:-}" = "true" ] && extra+=(-DRAG_WARNINGS_AS_ERRORS=ON)
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${extra[@]}" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
