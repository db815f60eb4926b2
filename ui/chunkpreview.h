#pragma once
// ChunkPreview: a document's text with its chunk boundaries drawn — chunks in
// alternating tints, overlaps shaded darker — and a tooltip per chunk with its
// tokens, byte offsets and heading path. GUI thread; holds a copy of the chunks.
#include "core/chunking/chunk.h"
#include "models/utf8indexmap.h"

#include <QPlainTextEdit>

#include <vector>

namespace rag {

struct PreviewChunk {
    Chunk chunk;
    std::size_t tokens = 0;  // cl100k_base
};

class ChunkPreview : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ChunkPreview(QWidget *parent = nullptr);

    // `text` is the document's UTF-8 text the chunk offsets refer to.
    void setDocumentText(const std::string &text);
    void setChunks(std::vector<PreviewChunk> chunks);
    const std::vector<PreviewChunk> &chunks() const { return m_chunks; }
    // Highlights one byte span (a search hit) and scrolls to it.
    void showSpan(std::int64_t start, std::int64_t end);
    // The tooltip text for the chunk(s) at a UTF-16 position, empty when none.
    QString describeAt(int utf16Position) const;

protected:
    bool event(QEvent *event) override;

private:
    void redraw();

    Utf8IndexMap m_map;
    std::vector<PreviewChunk> m_chunks;
};

} // namespace rag
