#include "ui/chunkpreview.h"

#include <QHelpEvent>
#include <QTextBlock>
#include <QToolTip>

namespace rag {

ChunkPreview::ChunkPreview(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setMouseTracking(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
}

void ChunkPreview::setDocumentText(const std::string &text)
{
    m_chunks.clear();
    m_map = Utf8IndexMap(text);
    setPlainText(QString::fromUtf8(text.data(), qsizetype(text.size())));
    redraw();
}

void ChunkPreview::setChunks(std::vector<PreviewChunk> chunks)
{
    m_chunks = std::move(chunks);
    redraw();
}

void ChunkPreview::redraw()
{
    // Tints chosen to read on light and dark palettes alike (alpha blends).
    const QColor tints[2] = {QColor(52, 152, 219, 60), QColor(46, 204, 113, 60)};
    const QColor overlap(231, 76, 60, 110);
    QList<QTextEdit::ExtraSelection> selections;
    for (std::size_t i = 0; i < m_chunks.size(); ++i) {
        const Chunk &c = m_chunks[i].chunk;
        QTextEdit::ExtraSelection sel;
        sel.cursor = QTextCursor(document());
        sel.cursor.setPosition(m_map.toUtf16(c.start));
        sel.cursor.setPosition(m_map.toUtf16(c.end), QTextCursor::KeepAnchor);
        sel.format.setBackground(tints[i % 2]);
        selections << sel;
    }
    for (std::size_t i = 1; i < m_chunks.size(); ++i) {
        const Chunk &prev = m_chunks[i - 1].chunk;
        const Chunk &c = m_chunks[i].chunk;
        if (c.start >= prev.end)
            continue;
        QTextEdit::ExtraSelection sel;
        sel.cursor = QTextCursor(document());
        sel.cursor.setPosition(m_map.toUtf16(c.start));
        sel.cursor.setPosition(m_map.toUtf16(std::min(prev.end, c.end)), QTextCursor::KeepAnchor);
        sel.format.setBackground(overlap);
        selections << sel;
    }
    setExtraSelections(selections);
}

void ChunkPreview::showSpan(std::int64_t start, std::int64_t end)
{
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(document());
    sel.cursor.setPosition(m_map.toUtf16(start));
    sel.cursor.setPosition(m_map.toUtf16(end), QTextCursor::KeepAnchor);
    sel.format.setBackground(QColor(241, 196, 15, 140));
    setExtraSelections({sel});
    QTextCursor cursor(document());
    cursor.setPosition(m_map.toUtf16(end));
    setTextCursor(cursor);
    ensureCursorVisible();
    cursor.setPosition(m_map.toUtf16(start));
    setTextCursor(cursor);
    ensureCursorVisible();
}

QString ChunkPreview::describeAt(int utf16Position) const
{
    QStringList lines;
    for (const PreviewChunk &p : m_chunks) {
        const Chunk &c = p.chunk;
        if (utf16Position < m_map.toUtf16(c.start) || utf16Position >= m_map.toUtf16(c.end))
            continue;
        QString line = tr("Chunk %1: %2 tokens, bytes %3–%4").arg(c.index + 1).arg(p.tokens).arg(c.start).arg(c.end);
        if (!c.headingPath.empty())
            line += QStringLiteral("\n") + tr("Heading: %1").arg(QString::fromStdString(c.headingPath));
        lines << line;
    }
    return lines.join(QStringLiteral("\n"));
}

bool ChunkPreview::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QPoint inViewport = viewport()->mapFrom(this, help->pos());
        const QString text = describeAt(cursorForPosition(inViewport).position());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QPlainTextEdit::event(event);
}

} // namespace rag
