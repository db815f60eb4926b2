#include "ui/richtextdelegate.h"

#include "models/laneresultmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QPainter>
#include <QTextDocument>

namespace rag {

namespace {

void prepare(QTextDocument &doc, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    doc.setDefaultFont(option.font);
    doc.setDocumentMargin(2);
    doc.setHtml(index.data(LaneResultModel::SnippetHtmlRole).toString());
    doc.setTextWidth(option.rect.width() > 0 ? option.rect.width() : 400);
}

} // namespace

void RichTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    QTextDocument doc;
    prepare(doc, option, index);
    QAbstractTextDocumentLayout::PaintContext ctx;
    ctx.palette = option.palette;
    if (option.state & QStyle::State_Selected)
        ctx.palette.setColor(QPalette::Text, option.palette.color(QPalette::HighlightedText));
    painter->save();
    painter->translate(option.rect.topLeft());
    painter->setClipRect(QRect(QPoint(0, 0), option.rect.size()));
    doc.documentLayout()->draw(painter, ctx);
    painter->restore();
}

QSize RichTextDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QTextDocument doc;
    prepare(doc, option, index);
    return QSize(int(doc.idealWidth()), int(doc.size().height()));
}

} // namespace rag
