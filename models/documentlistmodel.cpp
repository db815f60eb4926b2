#include "models/documentlistmodel.h"

#include <QLocale>

namespace rag {

QString formatBytes(std::int64_t bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

DocumentListModel::DocumentListModel(QObject *parent) : QAbstractTableModel(parent) {}

void DocumentListModel::setDocuments(std::vector<DocumentInfo> documents,
                                     std::unordered_map<std::int64_t, std::int64_t> chunkCounts)
{
    beginResetModel();
    m_documents = std::move(documents);
    m_chunkCounts = std::move(chunkCounts);
    m_titles.clear();
    m_formats.clear();
    m_titles.reserve(m_documents.size());
    m_formats.reserve(m_documents.size());
    for (const DocumentInfo &d : m_documents) {
        m_titles.push_back(QString::fromStdString(d.title.empty() ? d.docKey : d.title));
        m_formats.push_back(QString::fromStdString(d.format));
    }
    endResetModel();
}

const DocumentInfo *DocumentListModel::document(int row) const
{
    return row >= 0 && std::size_t(row) < m_documents.size() ? &m_documents[std::size_t(row)] : nullptr;
}

int DocumentListModel::rowOfDocument(std::int64_t documentId) const
{
    for (std::size_t i = 0; i < m_documents.size(); ++i)
        if (m_documents[i].id == documentId)
            return int(i);
    return -1;
}

int DocumentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_documents.size());
}

int DocumentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(Column::Count);
}

QVariant DocumentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DocumentInfo &d = m_documents[std::size_t(index.row())];
    const auto column = Column(index.column());
    const auto chunks = m_chunkCounts.find(d.id);
    const std::int64_t chunkCount = chunks == m_chunkCounts.end() ? 0 : chunks->second;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Column::Title: return m_titles[std::size_t(index.row())];
        case Column::Format: return m_formats[std::size_t(index.row())];
        case Column::Size: return formatBytes(d.textBytes);
        case Column::Chunks: return QVariant::fromValue(qint64(chunkCount));
        case Column::Count: break;
        }
        break;
    case SortRole:
        switch (column) {
        case Column::Size: return QVariant::fromValue(qint64(d.textBytes));
        case Column::Chunks: return QVariant::fromValue(qint64(chunkCount));
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        return QString::fromStdString(d.sourcePath + (d.docKey != d.sourcePath ? " [" + d.docKey + "]" : std::string()));
    case Qt::TextAlignmentRole:
        if (column == Column::Size || column == Column::Chunks)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        break;
    case DocumentIdRole: return QVariant::fromValue(qint64(d.id));
    case SourcePathRole: return QString::fromStdString(d.sourcePath);
    default: break;
    }
    return {};
}

QVariant DocumentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Column::Title: return tr("Document");
    case Column::Format: return tr("Type");
    case Column::Size: return tr("Size");
    case Column::Chunks: return tr("Chunks");
    case Column::Count: break;
    }
    return {};
}

} // namespace rag
