#include "ui/documentviewer.h"

#include "ui/chunkpreview.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace rag {

DocumentViewer::DocumentViewer(QWidget *parent) : QDialog(parent), m_text(new ChunkPreview)
{
    setObjectName(QStringLiteral("documentViewer"));
    resize(800, 600);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void DocumentViewer::showSpan(const QString &title, const std::string &text, std::int64_t start, std::int64_t end)
{
    setWindowTitle(title);
    m_text->setDocumentText(text);
    m_text->showSpan(start, end);
}

} // namespace rag
