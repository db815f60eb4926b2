#include "models/utf8indexmap.h"

namespace rag {

Utf8IndexMap::Utf8IndexMap(std::string_view utf8)
{
    m_map.resize(utf8.size() + 1);
    int utf16 = 0;
    std::size_t i = 0;
    while (i < utf8.size()) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        std::size_t len = 1;
        if (lead >= 0xF0)
            len = 4;
        else if (lead >= 0xE0)
            len = 3;
        else if (lead >= 0xC0)
            len = 2;
        len = std::min(len, utf8.size() - i);
        for (std::size_t k = 0; k < len; ++k)
            m_map[i + k] = utf16;
        // Code points above the BMP take a surrogate pair in UTF-16.
        utf16 += len == 4 ? 2 : 1;
        i += len;
    }
    m_map[utf8.size()] = utf16;
    m_utf16Length = utf16;
}

int Utf8IndexMap::toUtf16(std::int64_t byteOffset) const
{
    if (m_map.empty() || byteOffset <= 0)
        return 0;
    if (std::size_t(byteOffset) >= m_map.size())
        return int(m_utf16Length);
    return m_map[std::size_t(byteOffset)];
}

} // namespace rag
