#include "core/ingest/filecollector.h"

#include "core/common/logging.h"
#include "core/ingest/fileloader.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace rag {

namespace {

namespace fs = std::filesystem;

// One collection pass; not shared between threads.
class FolderWalker {
public:
    explicit FolderWalker(std::vector<Error> *skipped) : m_skipped(skipped) {}

    void addInput(const std::string &input)
    {
        std::error_code ec;
        const fs::file_status status = fs::status(input, ec);
        if (fs::is_directory(status)) {
            walk(fs::path(input));
        } else if (!fs::exists(status) && !fs::is_symlink(fs::symlink_status(input, ec))) {
            skip(ErrorCode::Io, "does not exist", input);
        } else {
            addFile(input);
        }
    }

    std::vector<std::string> takeFiles()
    {
        std::sort(m_files.begin(), m_files.end());
        m_files.erase(std::unique(m_files.begin(), m_files.end()), m_files.end());
        return std::move(m_files);
    }

private:
    void skip(ErrorCode code, std::string detail, const std::string &path)
    {
        qCDebug(lcIngest) << "skipping" << path.c_str() << ":" << detail.c_str();
        if (m_skipped)
            m_skipped->push_back(Error{code, std::move(detail), path});
    }

    void addFile(const std::string &path)
    {
        if (isSupportedFile(path)) {
            m_files.push_back(path);
            return;
        }
        const std::string ext = fs::path(path).extension().string();
        skip(ErrorCode::Unsupported,
             ext.empty() ? std::string("unsupported file type (no extension)")
                         : "unsupported file type '" + ext + "'",
             path);
    }

    void walk(const fs::path &dir)
    {
        std::error_code ec;
        const fs::path canonical = fs::canonical(dir, ec);
        if (ec) {
            skip(ErrorCode::Io, "cannot resolve the folder: " + ec.message(), dir.string());
            return;
        }
        if (std::find(m_ancestors.begin(), m_ancestors.end(), canonical) != m_ancestors.end()) {
            skip(ErrorCode::Io, "symbolic link loop: leads back to '" + canonical.string() + "'", dir.string());
            return;
        }
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            entries.push_back(*it);
        if (ec) {
            skip(ErrorCode::Io, "cannot list the folder: " + ec.message(), dir.string());
            return;
        }
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
            return a.path().filename().string() < b.path().filename().string();
        });
        m_ancestors.push_back(canonical);
        for (const fs::directory_entry &entry : entries) {
            if (entry.path().filename().string().starts_with('.'))
                continue;
            std::error_code statusEc;
            if (fs::is_directory(entry.status(statusEc)))
                walk(entry.path());
            else
                addFile(entry.path().string());
        }
        m_ancestors.pop_back();
    }

    std::vector<Error> *m_skipped;
    std::vector<std::string> m_files;
    std::vector<fs::path> m_ancestors;  // canonical folders on the current walk path
};

} // namespace

std::vector<std::string> collectFiles(const std::vector<std::string> &pathsOrFolders,
                                      std::vector<Error> *skipped)
{
    FolderWalker walker(skipped);
    for (const std::string &input : pathsOrFolders)
        walker.addInput(input);
    return walker.takeFiles();
}

} // namespace rag
