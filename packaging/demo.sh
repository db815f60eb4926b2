#!/usr/bin/env bash
# Set-up, build, then open the desktop app on the bundled demo project (the
# RAG Workbench user guide with its eval set, resources/demo/). Extra arguments
# go to ragworkbench, e.g. --screenshot-dir DIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${RAGWB_BUILD_DIR:-$repo/build}"
bash "$here/setup.sh"
bash "$here/build.sh"
exec "$build/app/gui/ragworkbench" --demo "$@"
