#include "core/store/database.h"

#include "core/common/logging.h"

#include <sqlite3.h>

namespace rag {

Statement::Statement(Statement &&other) noexcept : m_stmt(other.m_stmt), m_db(other.m_db)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_stmt = other.m_stmt;
        m_db = other.m_db;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bindBlob(int index, const void *data, std::size_t bytes)
{
    sqlite3_bind_blob64(m_stmt, index, data, bytes, SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Result<bool> Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return std::unexpected(m_db->lastError(sqlite3_sql(m_stmt)));
}

Result<void> Statement::run()
{
    for (;;) {
        auto more = step();
        if (!more)
            return std::unexpected(more.error());
        if (!*more)
            break;
    }
    reset();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::columnInt(int column) const { return sqlite3_column_int64(m_stmt, column); }
double Statement::columnDouble(int column) const { return sqlite3_column_double(m_stmt, column); }
bool Statement::columnIsNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::string Statement::columnText(int column) const { return std::string(columnTextView(column)); }

std::string_view Statement::columnTextView(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return text ? std::string_view(text, std::size_t(sqlite3_column_bytes(m_stmt, column))) : std::string_view();
}

std::string_view Statement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return data ? std::string_view(data, std::size_t(sqlite3_column_bytes(m_stmt, column))) : std::string_view();
}

Result<std::unique_ptr<Database>> Database::open(const std::string &path, Mode mode)
{
    sqlite3 *handle = nullptr;
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                             : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string detail = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
        sqlite3_close(handle);
        return fail(ErrorCode::Io, "cannot open project file: " + detail, path);
    }
    std::unique_ptr<Database> db(new Database(handle, path));
    sqlite3_busy_timeout(handle, 10000);
    sqlite3_extended_result_codes(handle, 1);
    // A file that is not SQLite fails here, on the first read, rather than later.
    const char *pragmas = mode == Mode::ReadOnly
        ? "PRAGMA foreign_keys=ON;"
        : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
    if (auto ok = db->exec(pragmas); !ok)
        return fail(ErrorCode::Corrupt, "not a RAG Workbench project file (" + ok.error().detail + ")", path);
    return db;
}

Database::~Database()
{
    if (m_handle)
        sqlite3_close(m_handle);
}

Error Database::lastError(std::string_view what) const
{
    std::string detail = sqlite3_errmsg(m_handle);
    if (!what.empty())
        detail += " (in: " + std::string(what.substr(0, 120)) + ")";
    return Error{ErrorCode::Database, detail, m_path};
}

Result<Statement> Database::prepare(std::string_view sql) const
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_handle, sql.data(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return std::unexpected(lastError(sql));
    return Statement(stmt, this);
}

Result<void> Database::exec(std::string_view sql) const
{
    char *message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_handle, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message ? message : "unknown error";
        sqlite3_free(message);
        return fail(ErrorCode::Database, detail + " (in: " + text.substr(0, 120) + ")", m_path);
    }
    return {};
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_handle); }
int Database::changes() const { return sqlite3_changes(m_handle); }

Database::Transaction::Transaction(const Database &db) : m_db(db)
{
    m_open = bool(m_db.exec("BEGIN IMMEDIATE"));
}

Database::Transaction::~Transaction()
{
    if (m_open && !m_db.exec("ROLLBACK"))
        qCWarning(lcStore) << "rollback failed on" << m_db.path().c_str();
}

Result<void> Database::Transaction::commit()
{
    if (!m_open)
        return fail(ErrorCode::Database, "no open transaction", m_db.path());
    auto ok = m_db.exec("COMMIT");
    if (ok)
        m_open = false;
    return ok;
}

Result<std::unique_ptr<Database::Transaction>> Database::begin() const
{
    auto tx = std::make_unique<Transaction>(*this);
    if (!tx->isOpen())
        return std::unexpected(lastError("BEGIN IMMEDIATE"));
    return tx;
}

} // namespace rag
