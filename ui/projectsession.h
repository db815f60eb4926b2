#pragma once
// ProjectSession: the open project as the window sees it. It owns the project
// path and the latest ProjectState, and runs every operation that touches the
// project file as a job on the shared JobRunner, announcing results as signals.
// GUI thread; the runner is owned by the caller (app/) and outlives the session.
#include "core/workbench.h"
#include "ui/projectstate.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace rag {

class JobRunner;

class ProjectSession : public QObject {
    Q_OBJECT
public:
    ProjectSession(JobRunner &runner, QObject *parent = nullptr);

    JobRunner &runner() const { return m_runner; }
    bool isOpen() const { return !m_path.isEmpty(); }
    QString path() const { return m_path; }
    Workbench workbench() const { return Workbench(m_path.toStdString()); }
    std::shared_ptr<const ProjectState> state() const { return m_state; }

    // Creates the file if needed (on a job), then reads its state.
    void open(const QString &path);
    void refresh();

    std::uint64_t importPaths(const QStringList &paths);
    std::uint64_t buildChunkSet(const QString &name, const ChunkerConfig &config);
    std::uint64_t buildIndex(const IndexBuildSpec &spec);

Q_SIGNALS:
    void opened(const QString &path);
    void stateChanged();
    void importFinished(const rag::IngestSummary &summary);
    void chunkSetBuilt(const QString &name);
    void indexBuilt(const QString &name);
    // A job of this session failed (the job dock shows the detail too).
    void failed(const QString &title, const QString &message);

private:
    void reportFailure(const QString &title, const Error &error);

    JobRunner &m_runner;
    QString m_path;
    std::shared_ptr<const ProjectState> m_state;
};

} // namespace rag

Q_DECLARE_METATYPE(rag::IngestSummary)
