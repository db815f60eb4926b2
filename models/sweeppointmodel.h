#pragma once
// SweepPointModel: the points of an HNSW ef_search sweep (M, ef_search,
// recall@10 against exact search, p50 latency) as a table next to the chart.
// GUI thread; holds plain values.
#include <QAbstractTableModel>

#include <vector>

namespace rag {

struct EfSweepPoint {
    int M = 0;
    int efSearch = 0;
    double recallAt10 = 0;
    double p50Ms = 0;
    double exactP50Ms = 0;
};

class SweepPointModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { M, EfSearch, Recall, P50, Speedup, Count };

    explicit SweepPointModel(QObject *parent = nullptr);

    void setPoints(std::vector<EfSweepPoint> points);
    const std::vector<EfSweepPoint> &points() const { return m_points; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<EfSweepPoint> m_points;
};

} // namespace rag
