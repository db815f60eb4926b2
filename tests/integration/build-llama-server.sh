#!/usr/bin/env bash
# Fetches the llama.cpp source that npm node-llama-cpp@3.22.1 ships (llama/gitRelease.bundle)
# and builds llama-server plus the tools used to make a tiny random-weights GGUF.
# Everything lives outside the repository, in ~/.cache/ragworkbench/llama/.
# Usage: tests/integration/build-llama-server.sh [JOBS]   (default 2, runs under nice -n 10)
# Afterwards: export RAGWB_LLAMA_SERVER=~/.cache/ragworkbench/llama/build/bin/llama-server
set -euo pipefail

JOBS="${1:-2}"
ROOT="${RAGWB_LLAMA_DIR:-$HOME/.cache/ragworkbench/llama}"
VERSION="3.22.1"
mkdir -p "$ROOT"
cd "$ROOT"

TARBALL="node-llama-cpp-${VERSION}.tgz"
if [[ ! -f "$TARBALL" ]]; then
    npm pack "node-llama-cpp@${VERSION}" --silent >/dev/null
fi
if [[ ! -f package/llama/gitRelease.bundle ]]; then
    tar -xzf "$TARBALL" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
fi
if [[ ! -d src/.git ]]; then
    git clone --quiet package/llama/gitRelease.bundle src
fi
git -C src log -1 --format='llama.cpp source: %H %cd' || true

cmake -S src -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=ON \
    -DLLAMA_BUILD_TESTS=ON -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON
# test-llama-archs is llama.cpp's own generator of random-weights models (-o DIR writes <arch>-dense.gguf).
nice -n 10 cmake --build build -j "$JOBS" --target llama-server test-llama-archs
mkdir -p models
if [[ ! -f models/llama-dense.gguf ]]; then
    build/bin/test-llama-archs -a llama -s 42 -o models
fi
echo "built: $ROOT/build/bin/llama-server"
echo "model: $ROOT/models/llama-dense.gguf"
