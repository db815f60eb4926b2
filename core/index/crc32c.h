#pragma once
// CRC-32C (Castagnoli), the checksum of index files. Streaming: feed the previous
// value back in to extend it over the next bytes. Uses the SSE4.2 crc32 instruction
// when the CPU has it (several GB/s, so checking a large index costs little next
// to reading it) and a table otherwise; both give the same value. Thread-safe.
#include <cstddef>
#include <cstdint>

namespace rag {

std::uint32_t crc32c(std::uint32_t crc, const void *data, std::size_t size);

} // namespace rag
