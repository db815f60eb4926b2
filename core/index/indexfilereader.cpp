#include "core/index/indexfilereader.h"

#include "core/index/crc32c.h"
#include "core/index/indexfileformat.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace rag {

IndexFileReader::~IndexFileReader()
{
    if (m_file)
        std::fclose(m_file);
}

std::unexpected<Error> IndexFileReader::corrupt(const std::string &detail) const
{
    return fail(ErrorCode::Corrupt, detail, m_path);
}

Result<std::string> IndexFileReader::open(const std::string &path)
{
    m_path = path;
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file) {
        const int err = errno;
        return fail(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                    std::string("cannot open the index file: ") + std::strerror(err), path);
    }
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    struct stat info {};
    if (::fstat(::fileno(m_file), &info) != 0)
        return fail(ErrorCode::Io, std::string("cannot stat the index file: ") + std::strerror(errno), path);
    const auto fileSize = std::uint64_t(info.st_size);

    unsigned char prefix[indexfile::kPrefixSize];
    if (fileSize < sizeof prefix || std::fread(prefix, 1, sizeof prefix, m_file) != sizeof prefix)
        return corrupt("truncated: " + std::to_string(fileSize) + " bytes is shorter than the "
                       + std::to_string(sizeof prefix) + "-byte header");
    if (std::memcmp(prefix, indexfile::kMagic, sizeof indexfile::kMagic) != 0)
        return corrupt("not a RAG Workbench vector index (bad magic)");
    const auto get = [&](std::size_t at, auto &value) { std::memcpy(&value, prefix + at, sizeof value); };
    std::uint32_t version = 0, payloadCrc = 0, prefixCrc = 0;
    std::uint64_t jsonSize = 0, payloadSize = 0;
    get(8, version);
    get(16, jsonSize);
    get(24, payloadSize);
    get(32, payloadCrc);
    get(36, prefixCrc);
    if (version != indexfile::kFormatVersion)
        return fail(version > indexfile::kFormatVersion ? ErrorCode::SchemaTooNew : ErrorCode::Unsupported,
                    "index format version " + std::to_string(version) + "; this build reads version "
                        + std::to_string(indexfile::kFormatVersion),
                    path);
    if (crc32c(0, prefix, 36) != prefixCrc)
        return corrupt("header checksum mismatch");
    if (jsonSize == 0 || jsonSize > indexfile::kMaxJsonSize)
        return corrupt("implausible identity length " + std::to_string(jsonSize));
    const std::uint64_t expected = sizeof prefix + jsonSize + payloadSize;
    if (payloadSize > fileSize || expected != fileSize)
        return corrupt((fileSize < expected ? "truncated: expected " : "unexpected trailing data: expected ")
                       + std::to_string(expected) + " bytes, the file has " + std::to_string(fileSize));

    std::string json(jsonSize, '\0');
    if (std::fread(json.data(), 1, json.size(), m_file) != json.size())
        return fail(ErrorCode::Io, std::string("cannot read the index file: ") + std::strerror(errno), path);
    m_crc = crc32c(0, json.data(), json.size());
    m_expectedCrc = payloadCrc;
    m_payloadSize = payloadSize;
    m_consumed = 0;
    return json;
}

Result<void> IndexFileReader::read(void *data, std::size_t size)
{
    if (!m_file)
        return fail(ErrorCode::Internal, "index reader not open", m_path);
    if (size > payloadRemaining())
        return corrupt("payload ends early: needed " + std::to_string(size) + " more bytes at offset "
                       + std::to_string(m_consumed) + " of " + std::to_string(m_payloadSize));
    if (std::fread(data, 1, size, m_file) != size)
        return fail(ErrorCode::Io, std::string("cannot read the index file: ") + std::strerror(errno), m_path);
    m_crc = crc32c(m_crc, data, size);
    m_consumed += size;
    return {};
}

Result<void> IndexFileReader::finish()
{
    if (payloadRemaining() != 0)
        return corrupt(std::to_string(payloadRemaining()) + " payload bytes left over after the index data");
    if (m_crc != m_expectedCrc)
        return corrupt("checksum mismatch: the file is damaged");
    std::fclose(m_file);
    m_file = nullptr;
    return {};
}

} // namespace rag
