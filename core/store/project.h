#pragma once
// Project: an open project file — the SQLite database (schema migrated) plus the
// folder beside it that holds index files ("<file>.indexes/").
//
// A Project owns one Database connection and is used on the thread that opened
// it; other threads open their own Project on the same path (WAL allows one
// writer and many readers). Opening never modifies a file it cannot read.
#include "core/common/result.h"
#include "core/store/database.h"

#include <memory>
#include <string>

namespace rag {

class Project {
public:
    // Opens or creates the project file and migrates it to the current schema.
    static Result<std::unique_ptr<Project>> open(const std::string &path);
    // Opens an existing project file; NotFound when it does not exist.
    static Result<std::unique_ptr<Project>> openExisting(const std::string &path);

    const Database &db() const { return *m_db; }
    const std::string &path() const { return m_path; }
    // "<project file>.indexes", created on demand.
    Result<std::string> indexFolder() const;

    Result<std::string> meta(const std::string &key) const;  // empty when absent
    Result<void> setMeta(const std::string &key, const std::string &value) const;

private:
    Project(std::unique_ptr<Database> db, std::string path) : m_db(std::move(db)), m_path(std::move(path)) {}
    std::unique_ptr<Database> m_db;
    std::string m_path;
};

// ISO-8601 UTC timestamp with milliseconds, the format of every *_at column.
std::string nowIso();

} // namespace rag
