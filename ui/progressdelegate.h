#pragma once
// ProgressDelegate: paints a job's progress fraction (JobListModel::FractionRole)
// as a progress bar with the model's text on it; busy style when unknown.
// GUI thread; stateless.
#include <QStyledItemDelegate>

namespace rag {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace rag
