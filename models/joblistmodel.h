#pragma once
// JobListModel: running and finished jobs as the job dock shows them (progress,
// throughput, ETA, state, error). GUI thread; it is fed JobInfo values by the
// dock and never talks to the runner itself.
#include "core/jobs/jobrunner.h"

#include <QAbstractTableModel>

#include <vector>

namespace rag {

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Title, State, Progress, Throughput, Eta, Count };
    enum Role { JobIdRole = Qt::UserRole + 1, FractionRole, RunningRole, ErrorRole };

    explicit JobListModel(QObject *parent = nullptr);

    // Inserts the job, or updates the row that shows it.
    void upsert(const JobInfo &info);
    // Drops rows whose job is no longer in `ids` (after JobRunner::pruneFinished).
    void retain(const std::vector<std::uint64_t> &ids);
    const JobInfo *job(int row) const;
    int rowOfJob(std::uint64_t id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateText(JobState state);

private:
    std::vector<JobInfo> m_jobs;  // newest first
};

} // namespace rag
