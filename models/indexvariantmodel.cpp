#include "models/indexvariantmodel.h"

#include "models/documentlistmodel.h"

#include <QBrush>
#include <QColor>

#include <nlohmann/json.hpp>

namespace rag {

IndexVariantModel::IndexVariantModel(QObject *parent) : QAbstractTableModel(parent) {}

void IndexVariantModel::setIndexes(std::vector<IndexRecord> records, std::vector<bool> stale)
{
    beginResetModel();
    m_rows.clear();
    for (std::size_t i = 0; i < records.size(); ++i) {
        Row row;
        row.record = std::move(records[i]);
        row.stale = i < stale.size() && stale[i];
        // The identity JSON is the engine's; a row whose JSON cannot be read
        // still shows its name and kind.
        const auto json = nlohmann::json::parse(row.record.identityJson, nullptr, false);
        if (json.is_object()) {
            if (row.record.kind == "bm25") {
                row.embedder = tr("(keyword)");
                row.parameters = QStringLiteral("k1=%1 b=%2")
                                     .arg(json.value("k1", 0.0))
                                     .arg(json.value("b", 0.0));
            } else {
                const auto &e = json.value("embedder", nlohmann::json::object());
                row.embedder = QString::fromStdString(e.value("name", std::string()));
                row.dimension = e.value("dimension", 0);
                if (row.record.kind == "hnsw")
                    row.parameters = QStringLiteral("M=%1 efC=%2 ef=%3")
                                         .arg(json.value("M", 0))
                                         .arg(json.value("efConstruction", 0))
                                         .arg(json.value("efSearch", 0));
                else
                    row.parameters = QString::fromStdString(json.value("metric", std::string()));
            }
        }
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

const IndexRecord *IndexVariantModel::record(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() ? &m_rows[std::size_t(row)].record : nullptr;
}

bool IndexVariantModel::isStale(int row) const
{
    return row >= 0 && std::size_t(row) < m_rows.size() && m_rows[std::size_t(row)].stale;
}

int IndexVariantModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IndexVariantModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant IndexVariantModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const auto column = Column(index.column());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Name: return QString::fromStdString(r.record.name);
        case Column::Kind: return QString::fromStdString(r.record.kind);
        case Column::ChunkSet: return QString::fromStdString(r.record.chunkSetName);
        case Column::Embedder: return r.embedder;
        case Column::Dimension: return r.dimension > 0 ? QVariant(r.dimension) : QVariant(QString());
        case Column::Parameters: return r.parameters;
        case Column::Size:
            // The BM25 index lives in the project file; older projects recorded no size for it.
            if (r.record.kind == "bm25")
                return r.record.sizeBytes > 0 ? tr("%1 in project").arg(formatBytes(r.record.sizeBytes)) : tr("in project");
            return formatBytes(r.record.sizeBytes);
        case Column::BuildTime: return tr("%1 s").arg(double(r.record.buildMs) / 1000.0, 0, 'f', 1);
        case Column::Status: return r.stale ? tr("stale") : tr("current");
        case Column::Count: break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Size: return QVariant::fromValue(qint64(r.record.sizeBytes));
        case Column::BuildTime: return QVariant::fromValue(qint64(r.record.buildMs));
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        return tr("Built %1 from chunk set '%2'").arg(QString::fromStdString(r.record.builtAt),
                                                      QString::fromStdString(r.record.chunkSetName));
    case Qt::ForegroundRole:
        if (column == Column::Status && r.stale)
            return QBrush(QColor(0xd3, 0x54, 0x00));
        break;
    case NameRole: return QString::fromStdString(r.record.name);
    case StaleRole: return r.stale;
    case KindRole: return QString::fromStdString(r.record.kind);
    default: break;
    }
    return {};
}

QVariant IndexVariantModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Name: return tr("Index");
    case Column::Kind: return tr("Kind");
    case Column::ChunkSet: return tr("Chunk set");
    case Column::Embedder: return tr("Embedder");
    case Column::Dimension: return tr("Dim");
    case Column::Parameters: return tr("Parameters");
    case Column::Size: return tr("Size");
    case Column::BuildTime: return tr("Build time");
    case Column::Status: return tr("Status");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
