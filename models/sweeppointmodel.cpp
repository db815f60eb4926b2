#include "models/sweeppointmodel.h"

namespace rag {

SweepPointModel::SweepPointModel(QObject *parent) : QAbstractTableModel(parent) {}

void SweepPointModel::setPoints(std::vector<EfSweepPoint> points)
{
    beginResetModel();
    m_points = std::move(points);
    endResetModel();
}

int SweepPointModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int SweepPointModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant SweepPointModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    const EfSweepPoint &p = m_points[std::size_t(index.row())];
    switch (Column(index.column())) {
    case Column::M: return p.M;
    case Column::EfSearch: return p.efSearch;
    case Column::Recall: return QString::number(p.recallAt10, 'f', 3);
    case Column::P50: return QString::number(p.p50Ms, 'f', 3);
    case Column::Speedup: return p.p50Ms > 0 ? QString::number(p.exactP50Ms / p.p50Ms, 'f', 1) + QStringLiteral("×") : QString();
    case Column::Count: break;
    }
    return {};
}

QVariant SweepPointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::M: return tr("M");
    case Column::EfSearch: return tr("ef_search");
    case Column::Recall: return tr("recall@10");
    case Column::P50: return tr("p50 ms");
    case Column::Speedup: return tr("vs exact");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
