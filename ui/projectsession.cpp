#include "ui/projectsession.h"

#include "core/jobs/jobrunner.h"

#include <QFileInfo>

namespace rag {

ProjectSession::ProjectSession(JobRunner &runner, QObject *parent) : QObject(parent), m_runner(runner) {}

void ProjectSession::reportFailure(const QString &title, const Error &error)
{
    if (error.code == ErrorCode::Cancelled)
        return;
    Q_EMIT failed(title, QString::fromStdString(error.message()));
}

void ProjectSession::open(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const Workbench wb(absolute.toStdString());
    m_runner.start<bool>(
        tr("Open %1").arg(QFileInfo(absolute).fileName()).toStdString(),
        [wb](const JobContext &) -> Result<bool> {
            if (auto ok = wb.create(); !ok)
                return std::unexpected(ok.error());
            return true;
        },
        this,
        [this, absolute](Result<bool> result) {
            if (!result) {
                reportFailure(tr("Open project"), result.error());
                return;
            }
            m_path = absolute;
            m_state.reset();
            Q_EMIT opened(m_path);
            refresh();
        },
        "project-open");
}

void ProjectSession::refresh()
{
    if (!isOpen())
        return;
    const Workbench wb = workbench();
    const QString path = m_path;
    m_runner.start<std::shared_ptr<const ProjectState>>(
        tr("Read project").toStdString(), [wb](const JobContext &) { return readProjectState(wb); }, this,
        [this, path](Result<std::shared_ptr<const ProjectState>> result) {
            if (path != m_path)
                return;
            if (!result) {
                reportFailure(tr("Read project"), result.error());
                return;
            }
            m_state = std::move(*result);
            Q_EMIT stateChanged();
        },
        "project-snapshot");
}

std::uint64_t ProjectSession::importPaths(const QStringList &paths)
{
    if (!isOpen() || paths.isEmpty())
        return 0;
    std::vector<std::string> files;
    for (const QString &p : paths)
        files.push_back(p.toStdString());
    const Workbench wb = workbench();
    return m_runner.start<IngestSummary>(
        tr("Import %n item(s)", nullptr, int(paths.size())).toStdString(),
        [wb, files](const JobContext &ctx) { return wb.ingest(files, LoadOptions{}, ctx); }, this,
        [this](Result<IngestSummary> result) {
            if (!result) {
                reportFailure(tr("Import"), result.error());
                return;
            }
            Q_EMIT importFinished(*result);
            refresh();
        });
}

std::uint64_t ProjectSession::buildChunkSet(const QString &name, const ChunkerConfig &config)
{
    if (!isOpen())
        return 0;
    const Workbench wb = workbench();
    const std::string setName = name.toStdString();
    return m_runner.start<ChunkBuildSummary>(
        tr("Chunk '%1'").arg(name).toStdString(),
        [wb, setName, config](const JobContext &ctx) { return wb.chunk(setName, config, ctx); }, this,
        [this, name](Result<ChunkBuildSummary> result) {
            if (!result) {
                reportFailure(tr("Chunk"), result.error());
                return;
            }
            Q_EMIT chunkSetBuilt(name);
            refresh();
        });
}

std::uint64_t ProjectSession::buildIndex(const IndexBuildSpec &spec)
{
    if (!isOpen())
        return 0;
    const Workbench wb = workbench();
    const QString name = QString::fromStdString(defaultIndexName(spec));
    return m_runner.start<IndexBuildSummary>(
        tr("Build index %1").arg(name).toStdString(),
        [wb, spec](const JobContext &ctx) { return wb.buildIndex(spec, ctx); }, this,
        [this](Result<IndexBuildSummary> result) {
            if (!result) {
                reportFailure(tr("Build index"), result.error());
                refresh();
                return;
            }
            Q_EMIT indexBuilt(QString::fromStdString(result->record.name));
            refresh();
        });
}

} // namespace rag
