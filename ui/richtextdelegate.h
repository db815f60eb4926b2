#pragma once
// RichTextDelegate: paints a cell's LaneResultModel::SnippetHtmlRole (escaped
// text with <b> query terms) as rich text. GUI thread; stateless.
#include <QStyledItemDelegate>

namespace rag {

class RichTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace rag
