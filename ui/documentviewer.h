#pragma once
// DocumentViewer: a document's full text scrolled to one chunk's span, which is
// highlighted; opened from a Playground result. GUI thread; the text is loaded
// on the job runner before the dialog shows it.
#include <QDialog>

namespace rag {

class ChunkPreview;

class DocumentViewer : public QDialog {
    Q_OBJECT
public:
    explicit DocumentViewer(QWidget *parent = nullptr);
    void showSpan(const QString &title, const std::string &text, std::int64_t start, std::int64_t end);
    ChunkPreview *textView() const { return m_text; }

private:
    ChunkPreview *m_text;
};

} // namespace rag
