#pragma once
// DocumentListModel: the project's documents (title, type, size, chunk count in
// the chosen chunk set) for the Documents pane. GUI thread; holds a copy of the
// snapshot values it was given.
#include "core/store/documentrepository.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace rag {

class DocumentListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Title, Format, Size, Chunks, Count };
    enum Role { DocumentIdRole = Qt::UserRole + 1, SortRole, SourcePathRole };

    explicit DocumentListModel(QObject *parent = nullptr);

    void setDocuments(std::vector<DocumentInfo> documents, std::unordered_map<std::int64_t, std::int64_t> chunkCounts);
    const DocumentInfo *document(int row) const;
    int rowOfDocument(std::int64_t documentId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<DocumentInfo> m_documents;
    // Converted once per reset: sorting thousands of rows asks for them n log n times.
    std::vector<QString> m_titles;
    std::vector<QString> m_formats;
    std::unordered_map<std::int64_t, std::int64_t> m_chunkCounts;
};

// "12.3 KiB" style sizes shared by the models.
QString formatBytes(std::int64_t bytes);

} // namespace rag
