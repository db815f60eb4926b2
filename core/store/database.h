#pragma once
// Database: one SQLite connection (RAII) plus a small prepared-statement wrapper.
//
// A Database is used only on the thread that opened it (SQLite handles are not
// shared across threads here); readers on other threads open their own
// connection to the same WAL-mode file. Statement binds and reads UTF-8
// std::string, int64, double and blobs, and every failure becomes an Error that
// names the project file and the SQL error.
#include "core/common/result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rag {

class Database;

class Statement {
public:
    Statement() = default;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
    Statement &bind(int index, const std::string &text) { return bind(index, std::string_view(text)); }
    Statement &bindBlob(int index, const void *data, std::size_t bytes);
    Statement &bindNull(int index);

    // Steps once: true when a row is available, false when done.
    Result<bool> step();
    // Steps to completion (for statements that return no rows).
    Result<void> run();
    void reset();
    // Steps to the end, handing the statement to visit(const Statement &) at every row.
    template <typename Visit>
    Result<void> forEachRow(Visit &&visit);

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::string_view columnTextView(int column) const;  // valid until the next step
    std::string_view columnBlob(int column) const;      // valid until the next step
    bool columnIsNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt *stmt, const Database *db) : m_stmt(stmt), m_db(db) {}
    sqlite3_stmt *m_stmt = nullptr;
    const Database *m_db = nullptr;
};

template <typename Visit>
Result<void> Statement::forEachRow(Visit &&visit)
{
    for (;;) {
        auto row = step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return {};
        visit(static_cast<const Statement &>(*this));
    }
}

// Every row of a prepared (and bound) statement, each read into a value by
// read(const Statement &); the first error of the preparation or a step wins.
template <typename Read>
auto collectRows(Result<Statement> stmt, Read &&read)
    -> Result<std::vector<std::decay_t<std::invoke_result_t<Read &, const Statement &>>>>
{
    if (!stmt)
        return std::unexpected(stmt.error());
    std::vector<std::decay_t<std::invoke_result_t<Read &, const Statement &>>> out;
    if (auto ok = stmt->forEachRow([&](const Statement &row) { out.push_back(read(row)); }); !ok)
        return std::unexpected(ok.error());
    return out;
}

class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };

    // Opens (and for ReadWrite creates) the file, sets WAL, foreign keys and a busy timeout.
    static Result<std::unique_ptr<Database>> open(const std::string &path, Mode mode = Mode::ReadWrite);
    ~Database();

    Result<Statement> prepare(std::string_view sql) const;
    Result<void> exec(std::string_view sql) const;  // one or more statements, no results
    std::int64_t lastInsertId() const;
    int changes() const;
    const std::string &path() const { return m_path; }

    // A failure Error for the connection's last SQLite error.
    Error lastError(std::string_view what) const;

    // RAII transaction: rolls back unless commit() succeeded.
    class Transaction {
    public:
        explicit Transaction(const Database &db);
        ~Transaction();
        Result<void> commit();
        bool isOpen() const { return m_open; }
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;

    private:
        const Database &m_db;
        bool m_open = false;
    };
    Result<std::unique_ptr<Transaction>> begin() const;

private:
    Database(sqlite3 *handle, std::string path) : m_handle(handle), m_path(std::move(path)) {}
    sqlite3 *m_handle = nullptr;
    std::string m_path;
};

} // namespace rag
