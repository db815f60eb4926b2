#include "ui/laneview.h"

#include "models/laneresultmodel.h"
#include "ui/richtextdelegate.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace rag {

LaneView::LaneView(const QString &name, int ownColumn, QWidget *parent)
    : QGroupBox(name, parent), m_name(name), m_model(new LaneResultModel(this)), m_view(new QTableView)
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(true);
    m_view->verticalHeader()->hide();
    m_view->setItemDelegateForColumn(int(LaneResultModel::Column::Snippet), new RichTextDelegate(m_view));
    // The lane's own place is the rank column already.
    m_view->setColumnHidden(ownColumn, true);
    auto *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(int(LaneResultModel::Column::Document), QHeaderView::Interactive);
    header->resizeSection(int(LaneResultModel::Column::Document), 130);
    header->setSectionResizeMode(int(LaneResultModel::Column::Snippet), QHeaderView::Interactive);
    header->resizeSection(int(LaneResultModel::Column::Snippet), 320);
    header->setStretchLastSection(true);
    // Read the text first, then where it sits in the other lanes.
    header->moveSection(header->visualIndex(int(LaneResultModel::Column::Snippet)), 2);
    header->moveSection(header->visualIndex(int(LaneResultModel::Column::Document)), 3);
    header->resizeSection(int(LaneResultModel::Column::Snippet), 260);
    header->resizeSection(int(LaneResultModel::Column::Document), 110);
    header->setStretchLastSection(false);
    // Three lines of snippet per result; the tooltip shows the whole window.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() * 3 + 8);
    m_view->setToolTip(tr("Double-click (or Enter) opens the source document at this chunk."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    auto activate = [this](const QModelIndex &index) {
        if (const LaneRow *row = m_model->row(index.row()))
            Q_EMIT resultActivated(row->documentId, row->start, row->end);
    };
    connect(m_view, &QTableView::doubleClicked, this, activate);
    connect(m_view, &QTableView::activated, this, activate);
}

void LaneView::setLatency(double ms)
{
    setTitle(tr("%1 — %2 ms").arg(m_name).arg(ms, 0, 'f', 1));
}

} // namespace rag
