#pragma once
// IndexFileWriter: writes one index file atomically. Everything goes to "<path>.tmp";
// commit() fills in the lengths and checksum, flushes, fsyncs, renames the temporary
// over `path` and fsyncs the directory. Until commit() succeeds the previous file at
// `path` is untouched, and a writer destroyed without commit() (an error, a cancel)
// removes its temporary. Owned by one thread; move-only.
#include "core/common/result.h"
#include "core/jobs/jobcontext.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace rag {

class IndexFileWriter {
public:
    explicit IndexFileWriter(std::string path);
    ~IndexFileWriter();
    IndexFileWriter(const IndexFileWriter &) = delete;
    IndexFileWriter &operator=(const IndexFileWriter &) = delete;

    // Creates the temporary file and writes the prefix placeholder and the identity.
    Result<void> begin(std::string_view identityJson);
    // Appends payload bytes. Large blocks are written in slices with ctx.cancelled()
    // checked between them, so cancelling a big save returns promptly.
    Result<void> write(const void *data, std::size_t size, const JobContext &ctx = {});
    template <typename T>
    Result<void> writeValue(const T &value)
    {
        return write(&value, sizeof value);
    }
    Result<void> commit();

    const std::string &path() const { return m_path; }
    std::string tempPath() const { return m_path + ".tmp"; }

private:
    Result<void> ioError(const std::string &what) const;
    void abandon();

    std::string m_path;
    std::FILE *m_file = nullptr;
    std::uint64_t m_jsonSize = 0;
    std::uint64_t m_payloadSize = 0;
    std::uint32_t m_crc = 0;
    bool m_committed = false;
};

} // namespace rag
