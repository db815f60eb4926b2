#include "models/importoutcomemodel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>

namespace rag {

ImportOutcomeModel::ImportOutcomeModel(QObject *parent) : QAbstractTableModel(parent) {}

QString ImportOutcomeModel::statusText(ImportStatus status)
{
    switch (status) {
    case ImportStatus::Imported: return tr("imported");
    case ImportStatus::Unchanged: return tr("unchanged");
    case ImportStatus::Replaced: return tr("replaced");
    case ImportStatus::Failed: return tr("failed");
    }
    return {};
}

void ImportOutcomeModel::addOutcomes(const std::vector<ImportOutcome> &outcomes)
{
    if (outcomes.empty())
        return;
    beginInsertRows({}, 0, int(outcomes.size()) - 1);
    m_outcomes.insert(m_outcomes.begin(), outcomes.begin(), outcomes.end());
    endInsertRows();
}

void ImportOutcomeModel::clear()
{
    beginResetModel();
    m_outcomes.clear();
    endResetModel();
}

const ImportOutcome *ImportOutcomeModel::outcome(int row) const
{
    return row >= 0 && std::size_t(row) < m_outcomes.size() ? &m_outcomes[std::size_t(row)] : nullptr;
}

int ImportOutcomeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_outcomes.size());
}

int ImportOutcomeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant ImportOutcomeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ImportOutcome &o = m_outcomes[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::File: return QFileInfo(QString::fromStdString(o.path)).fileName();
        case Column::Status: return statusText(o.status);
        case Column::Documents:
            return tr("%1 added, %2 replaced, %3 unchanged").arg(o.added).arg(o.replaced).arg(o.unchanged);
        case Column::Reason: {
            if (o.status == ImportStatus::Failed)
                return QString::fromStdString(o.error.message());
            if (!o.recordErrors.empty())
                return tr("%n record(s) skipped: %1", nullptr, int(o.recordErrors.size()))
                    .arg(QString::fromStdString(o.recordErrors.front().message()));
            return QString();
        }
        case Column::Count: break;
        }
        break;
    case Qt::ToolTipRole: return QString::fromStdString(o.path);
    case Qt::ForegroundRole:
        if (column == Column::Status && o.status == ImportStatus::Failed)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        break;
    case StatusRole: return int(o.status);
    default: break;
    }
    return {};
}

QVariant ImportOutcomeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::File: return tr("File");
    case Column::Status: return tr("Status");
    case Column::Documents: return tr("Documents");
    case Column::Reason: return tr("Reason");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
