#pragma once
// IndexVariantModel: the project's index variants with their identity (chunk
// set, embedder, dimension, parameters, size, build time) and whether the chunk
// set changed since they were built. GUI thread; holds copies of the records.
#include "core/store/indexcatalog.h"

#include <QAbstractTableModel>

#include <vector>

namespace rag {

class IndexVariantModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Name, Kind, ChunkSet, Embedder, Dimension, Parameters, Size, BuildTime, Status, Count };
    enum Role { NameRole = Qt::UserRole + 1, StaleRole, KindRole, SortRole };

    explicit IndexVariantModel(QObject *parent = nullptr);

    void setIndexes(std::vector<IndexRecord> records, std::vector<bool> stale);
    const IndexRecord *record(int row) const;
    bool isStale(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        IndexRecord record;
        bool stale = false;
        QString embedder;
        int dimension = 0;
        QString parameters;
    };
    std::vector<Row> m_rows;
};

} // namespace rag
