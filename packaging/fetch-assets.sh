#!/usr/bin/env bash
# Fetches the pinned npm packages of packaging/assets.lock into the asset cache
# (outside the repository), verifying each tarball's sha256, and installs the
# Node reference implementations that the tests compare against.
# Never run at configure time; run by packaging/setup.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
asset_dir="${RAGWB_ASSET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ragworkbench/assets}"
mkdir -p "$asset_dir"

while read -r spec sha folder; do
  [[ -z "${spec:-}" || "$spec" == \#* ]] && continue
  dest="$asset_dir/$folder"
  if [ -f "$dest/.sha256" ] && [ "$(cat "$dest/.sha256")" = "$sha" ]; then
    continue
  fi
  tmp="$(mktemp -d)"
  echo "Fetching $spec" >&2
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/npm.log") || { cat "$tmp/npm.log" >&2; exit 1; }
  tarball="$(ls "$tmp"/*.tgz)"
  actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
  if [ "$actual" != "$sha" ]; then
    echo "sha256 mismatch for $spec: expected $sha, got $actual" >&2
    exit 1
  fi
  rm -rf "$dest.partial" && mkdir -p "$dest.partial"
  tar -xzf "$tarball" -C "$dest.partial" --strip-components=1
  echo "$sha" > "$dest.partial/.sha256"
  rm -rf "$dest" && mv "$dest.partial" "$dest"
  rm -rf "$tmp"
done < "$repo/packaging/assets.lock"

# Reference implementations (Node) used only by tests and benchmarks.
ref_dir="$asset_dir/node-reference"
mkdir -p "$ref_dir"
if ! cmp -s "$repo/tests/reference/package.json" "$ref_dir/package.json" || [ ! -d "$ref_dir/node_modules" ]; then
  cp "$repo/tests/reference/package.json" "$ref_dir/package.json"
  [ -f "$repo/tests/reference/package-lock.json" ] && cp "$repo/tests/reference/package-lock.json" "$ref_dir/"
  echo "Installing Node reference packages" >&2
  (cd "$ref_dir" && npm install --silent --no-audit --no-fund --ignore-scripts >&2)
fi
echo "$asset_dir"
