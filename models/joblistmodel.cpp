#include "models/joblistmodel.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace rag {

JobListModel::JobListModel(QObject *parent) : QAbstractTableModel(parent) {}

QString JobListModel::stateText(JobState state)
{
    switch (state) {
    case JobState::Running: return tr("running");
    case JobState::Succeeded: return tr("done");
    case JobState::Failed: return tr("failed");
    case JobState::Cancelled: return tr("cancelled");
    case JobState::Superseded: return tr("superseded");
    }
    return {};
}

void JobListModel::upsert(const JobInfo &info)
{
    const int row = rowOfJob(info.id);
    if (row >= 0) {
        m_jobs[std::size_t(row)] = info;
        Q_EMIT dataChanged(index(row, 0), index(row, int(Column::Count) - 1));
        return;
    }
    beginInsertRows({}, 0, 0);
    m_jobs.insert(m_jobs.begin(), info);
    endInsertRows();
}

void JobListModel::retain(const std::vector<std::uint64_t> &ids)
{
    for (int row = int(m_jobs.size()) - 1; row >= 0; --row) {
        if (std::find(ids.begin(), ids.end(), m_jobs[std::size_t(row)].id) != ids.end())
            continue;
        beginRemoveRows({}, row, row);
        m_jobs.erase(m_jobs.begin() + row);
        endRemoveRows();
    }
}

const JobInfo *JobListModel::job(int row) const
{
    return row >= 0 && std::size_t(row) < m_jobs.size() ? &m_jobs[std::size_t(row)] : nullptr;
}

int JobListModel::rowOfJob(std::uint64_t id) const
{
    for (std::size_t i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i].id == id)
            return int(i);
    return -1;
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

namespace {

QString etaText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("–");
    const int s = int(seconds + 0.5);
    return s >= 60 ? JobListModel::tr("%1 min %2 s").arg(s / 60).arg(s % 60) : JobListModel::tr("%1 s").arg(s);
}

double fraction(const JobInfo &j)
{
    if (j.state == JobState::Succeeded)
        return 1.0;
    return j.progress.total > 0 ? std::clamp(double(j.progress.done) / double(j.progress.total), 0.0, 1.0) : -1.0;
}

} // namespace

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobInfo &j = m_jobs[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Title: return QString::fromStdString(j.title);
        case Column::State:
            if (j.state == JobState::Running && !j.progress.stage.empty())
                return QString::fromStdString(j.progress.stage);
            return stateText(j.state);
        case Column::Progress:
            if (j.progress.total > 0)
                return QStringLiteral("%1 / %2").arg(j.progress.done).arg(j.progress.total);
            return j.progress.done > 0 ? QString::number(j.progress.done) : QString();
        case Column::Throughput:
            return j.itemsPerSecond > 0 ? tr("%1/s").arg(j.itemsPerSecond, 0, 'f', 1) : QString();
        case Column::Eta:
            return j.state == JobState::Running ? etaText(j.etaSeconds) : tr("%1 s").arg(double(j.elapsedMs) / 1000.0, 0, 'f', 1);
        case Column::Count: break;
        }
        break;
    case Qt::ToolTipRole:
        if (j.state == JobState::Failed)
            return QString::fromStdString(j.error.message());
        return QString::fromStdString(j.title);
    case Qt::ForegroundRole:
        if (column == Column::State && j.state == JobState::Failed)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        break;
    case JobIdRole: return QVariant::fromValue(quint64(j.id));
    case FractionRole: return fraction(j);
    case RunningRole: return j.state == JobState::Running;
    case ErrorRole: return j.state == JobState::Failed ? QString::fromStdString(j.error.message()) : QString();
    default: break;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Title: return tr("Job");
    case Column::State: return tr("State");
    case Column::Progress: return tr("Progress");
    case Column::Throughput: return tr("Throughput");
    case Column::Eta: return tr("ETA / time");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
