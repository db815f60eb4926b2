#pragma once
// Content hashing for the identity scheme: documents, chunk texts and configs are
// addressed by the SHA-256 of their bytes (lowercase hex). Thread-safe, no state.
#include <string>
#include <string_view>

namespace rag {

std::string sha256Hex(std::string_view bytes);

} // namespace rag
