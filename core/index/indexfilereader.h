#pragma once
// IndexFileReader: opens an index file, validates its framing (magic, version,
// prefix checksum, exact size) and hands out the identity JSON and then the payload,
// checksumming as it goes; finish() fails unless every payload byte was read and the
// checksum matches. All errors name the file. Owned by one thread.
#include "core/common/result.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace rag {

class IndexFileReader {
public:
    IndexFileReader() = default;
    ~IndexFileReader();
    IndexFileReader(const IndexFileReader &) = delete;
    IndexFileReader &operator=(const IndexFileReader &) = delete;

    // Opens `path` and returns its identity JSON.
    Result<std::string> open(const std::string &path);
    // Reads exactly `size` payload bytes; reading past the payload is Corrupt.
    Result<void> read(void *data, std::size_t size);
    template <typename T>
    Result<void> readValue(T &value)
    {
        return read(&value, sizeof value);
    }
    Result<void> finish();

    std::uint64_t payloadSize() const { return m_payloadSize; }
    std::uint64_t payloadRemaining() const { return m_payloadSize - m_consumed; }
    const std::string &path() const { return m_path; }

    // A Corrupt error naming this file.
    std::unexpected<Error> corrupt(const std::string &detail) const;

private:
    std::string m_path;
    std::FILE *m_file = nullptr;
    std::uint64_t m_payloadSize = 0;
    std::uint64_t m_consumed = 0;
    std::uint32_t m_expectedCrc = 0;
    std::uint32_t m_crc = 0;
};

} // namespace rag
