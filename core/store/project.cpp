#include "core/store/project.h"

#include "core/store/schema.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace rag {

std::string nowIso()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
}

Result<std::unique_ptr<Project>> Project::open(const std::string &path)
{
    const QFileInfo info(QString::fromStdString(path));
    if (info.isDir())
        return fail(ErrorCode::InvalidArgument, "is a folder, not a project file", path);
    if (!info.absoluteDir().exists())
        return fail(ErrorCode::NotFound, "the folder for the project file does not exist", path);
    auto db = Database::open(path);
    if (!db)
        return std::unexpected(db.error());
    if (auto ok = migrateSchema(**db); !ok)
        return std::unexpected(ok.error());
    std::unique_ptr<Project> project(new Project(std::move(*db), path));
    auto created = project->meta("created_at");
    if (!created)
        return std::unexpected(created.error());
    if (created->empty()) {
        if (auto ok = project->setMeta("created_at", nowIso()); !ok)
            return std::unexpected(ok.error());
    }
    return project;
}

Result<std::unique_ptr<Project>> Project::openExisting(const std::string &path)
{
    if (!QFileInfo::exists(QString::fromStdString(path)))
        return fail(ErrorCode::NotFound, "no such project file (create one with `ragwb init`)", path);
    return open(path);
}

Result<std::string> Project::indexFolder() const
{
    const QString folder = QString::fromStdString(m_path) + QStringLiteral(".indexes");
    if (!QDir().mkpath(folder))
        return fail(ErrorCode::Io, "cannot create the index folder", folder.toStdString());
    return folder.toStdString();
}

Result<std::string> Project::meta(const std::string &key) const
{
    auto stmt = m_db->prepare("SELECT value FROM meta WHERE key = ?");
    if (!stmt)
        return std::unexpected(stmt.error());
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? stmt->columnText(0) : std::string();
}

Result<void> Project::setMeta(const std::string &key, const std::string &value) const
{
    auto stmt = m_db->prepare("INSERT INTO meta(key, value) VALUES(?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt)
        return std::unexpected(stmt.error());
    return stmt->bind(1, key).bind(2, value).run();
}

} // namespace rag
