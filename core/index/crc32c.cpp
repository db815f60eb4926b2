#include "core/index/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RAG_X86_CRC 1
#include <immintrin.h>
#endif

namespace rag {

namespace {

constexpr std::uint32_t kPolynomial = 0x82F63B78u; // reflected Castagnoli

constexpr std::array<std::uint32_t, 256> makeTable()
{
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> kTable = makeTable();

std::uint32_t crcTable(std::uint32_t crc, const unsigned char *p, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i)
        crc = kTable[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

#ifdef RAG_X86_CRC
__attribute__((target("sse4.2"))) std::uint32_t crcHardware(std::uint32_t crc, const unsigned char *p,
                                                            std::size_t n)
{
    std::uint64_t c = crc;
    while (n >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    std::uint32_t c32 = std::uint32_t(c);
    while (n > 0) {
        c32 = _mm_crc32_u8(c32, *p++);
        --n;
    }
    return c32;
}

bool haveHardware()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif

} // namespace

std::uint32_t crc32c(std::uint32_t crc, const void *data, std::size_t size)
{
    const auto *p = static_cast<const unsigned char *>(data);
    crc = ~crc;
#ifdef RAG_X86_CRC
    static const bool hardware = haveHardware();
    crc = hardware ? crcHardware(crc, p, size) : crcTable(crc, p, size);
#else
    crc = crcTable(crc, p, size);
#endif
    return ~crc;
}

} // namespace rag
