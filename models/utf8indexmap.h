#pragma once
// Utf8IndexMap: converts UTF-8 byte offsets of an engine text (chunk spans) into
// UTF-16 positions of the QString a view shows, in O(1) per lookup after one
// linear pass. Plain value; built on any thread, immutable afterwards.
#include <QString>

#include <cstdint>
#include <string_view>
#include <vector>

namespace rag {

class Utf8IndexMap {
public:
    Utf8IndexMap() = default;
    explicit Utf8IndexMap(std::string_view utf8);

    // UTF-16 index of the code point that starts at (or contains) this byte;
    // offsets past the end clamp to the text's UTF-16 length.
    int toUtf16(std::int64_t byteOffset) const;
    qsizetype utf16Length() const { return m_utf16Length; }

private:
    std::vector<int> m_map;  // one entry per byte, plus the end
    qsizetype m_utf16Length = 0;
};

} // namespace rag
