#include "core/index/indexfilewriter.h"

#include "core/common/logging.h"
#include "core/index/crc32c.h"
#include "core/index/indexfileformat.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace rag {

static_assert(std::endian::native == std::endian::little, "index files are little-endian");

namespace {

constexpr std::size_t kSlice = 8u << 20; // cancellation granularity for large blocks

std::string directoryOf(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

IndexFileWriter::IndexFileWriter(std::string path) : m_path(std::move(path)) {}

IndexFileWriter::~IndexFileWriter()
{
    if (!m_committed)
        abandon();
}

void IndexFileWriter::abandon()
{
    if (!m_file)
        return;
    std::fclose(m_file);
    m_file = nullptr;
    // Only a temporary this writer created is removed (begin() succeeded).
    if (::unlink(tempPath().c_str()) != 0 && errno != ENOENT)
        qCWarning(lcIndex) << "could not remove" << tempPath().c_str() << std::strerror(errno);
}

Result<void> IndexFileWriter::ioError(const std::string &what) const
{
    return fail(ErrorCode::Io, what + ": " + std::strerror(errno), m_path);
}

Result<void> IndexFileWriter::begin(std::string_view identityJson)
{
    if (m_file || m_committed)
        return fail(ErrorCode::Internal, "index writer reused", m_path);
    errno = 0;
    m_file = std::fopen(tempPath().c_str(), "wbx"); // x: never write into something already there
    if (!m_file && errno == EEXIST) {
        // A stale temporary from a crashed save is replaced; unlink() refuses a
        // directory (EISDIR), which then becomes the reported reason.
        if (::unlink(tempPath().c_str()) == 0)
            m_file = std::fopen(tempPath().c_str(), "wbx");
    }
    if (!m_file)
        return ioError("cannot create the temporary file " + tempPath());
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    const char zeros[indexfile::kPrefixSize] = {};
    m_jsonSize = identityJson.size();
    if (std::fwrite(zeros, 1, sizeof zeros, m_file) != sizeof zeros
        || std::fwrite(identityJson.data(), 1, identityJson.size(), m_file) != identityJson.size()) {
        auto error = ioError("cannot write " + tempPath());
        abandon();
        return error;
    }
    m_crc = crc32c(0, identityJson.data(), identityJson.size());
    return {};
}

Result<void> IndexFileWriter::write(const void *data, std::size_t size, const JobContext &ctx)
{
    if (!m_file)
        return fail(ErrorCode::Internal, "index writer not open", m_path);
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        if (ctx.cancelled()) {
            abandon();
            return fail(ErrorCode::Cancelled, "saving the index was cancelled", m_path);
        }
        const std::size_t n = std::min(size, kSlice);
        if (std::fwrite(p, 1, n, m_file) != n) {
            auto error = ioError("cannot write " + tempPath());
            abandon();
            return error;
        }
        m_crc = crc32c(m_crc, p, n);
        m_payloadSize += n;
        p += n;
        size -= n;
    }
    return {};
}

Result<void> IndexFileWriter::commit()
{
    if (!m_file)
        return fail(ErrorCode::Internal, "index writer not open", m_path);
    unsigned char prefix[indexfile::kPrefixSize] = {};
    const auto put = [&](std::size_t at, auto value) { std::memcpy(prefix + at, &value, sizeof value); };
    std::memcpy(prefix, indexfile::kMagic, sizeof indexfile::kMagic);
    put(8, indexfile::kFormatVersion);
    put(12, std::uint32_t(0));
    put(16, m_jsonSize);
    put(24, m_payloadSize);
    put(32, m_crc);
    put(36, crc32c(0, prefix, 36));

    const bool written = std::fflush(m_file) == 0 && std::fseek(m_file, 0, SEEK_SET) == 0
        && std::fwrite(prefix, 1, sizeof prefix, m_file) == sizeof prefix && std::fflush(m_file) == 0
        && ::fsync(::fileno(m_file)) == 0;
    if (!written) {
        auto error = ioError("cannot write " + tempPath());
        abandon();
        return error;
    }
    const int closed = std::fclose(m_file);
    m_file = nullptr;
    if (closed != 0) {
        auto error = ioError("cannot close " + tempPath());
        ::unlink(tempPath().c_str());
        return error;
    }
    if (std::rename(tempPath().c_str(), m_path.c_str()) != 0) {
        auto error = ioError("cannot rename " + tempPath() + " over the index");
        ::unlink(tempPath().c_str());
        return error;
    }
    m_committed = true;
    // The rename is durable only once the directory entry is on disk.
    const int dir = ::open(directoryOf(m_path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

} // namespace rag
