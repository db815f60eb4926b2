#pragma once
// LaneResultModel: one Playground lane's ranked chunks, each with its rank and
// score in every other lane, its source document and a snippet whose query
// terms are highlighted; a reranked lane also shows where each chunk stood before
// reranking and how far it moved. GUI thread; holds plain values prepared by the pane.
#include <QAbstractTableModel>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace rag {

struct LegPlace {
    int rank = 0;
    double score = 0;
};

struct LaneRow {
    std::int64_t chunkId = 0;
    std::int64_t documentId = 0;
    int rank = 0;
    double score = 0;
    std::optional<LegPlace> keyword;  // this chunk in the BM25 lane
    std::optional<LegPlace> dense;    // ... in the dense lane
    std::optional<LegPlace> hybrid;   // ... in the hybrid lane
    std::optional<LegPlace> previous; // reranked lane: its place in the lane that fed the reranker
    QString document;
    QString text;                     // the chunk text
    std::int64_t start = 0;           // UTF-8 byte span in the document
    std::int64_t end = 0;
};

class LaneResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Rank, Score, Keyword, Dense, Hybrid, Document, Snippet, Moved, Count };
    enum Role {
        ChunkIdRole = Qt::UserRole + 1,
        DocumentIdRole,
        SnippetHtmlRole,
        SpanStartRole,
        SpanEndRole,
        MovedRole  // places gained by reranking (negative: lost); null without a previous place
    };

    explicit LaneResultModel(QObject *parent = nullptr);

    void setRows(std::vector<LaneRow> rows, const QStringList &queryTerms);
    const LaneRow *row(int r) const;
    // The row showing this chunk, or -1.
    int rowOfChunk(std::int64_t chunkId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<LaneRow> m_rows;
    std::vector<QString> m_snippets;      // plain
    std::vector<QString> m_snippetsHtml;  // query terms in <b>
};

// The words of a query worth highlighting (letters/digits, two or more characters).
QStringList queryTerms(const QString &query);
// A window of `text` around the first query term, whitespace collapsed, at most
// maxChars long; `html` receives the same window escaped with the terms in <b>.
QString snippetAround(const QString &text, const QStringList &terms, int maxChars, QString *html);

} // namespace rag
