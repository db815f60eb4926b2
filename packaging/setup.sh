#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs before a build: Debian packages and
# the pinned npm assets (tokenizer ranks, model weights, Node reference packages).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/install-deps.sh"
bash "$here/fetch-assets.sh" >/dev/null
