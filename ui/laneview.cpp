#include "ui/laneview.h"

#include "models/laneresultmodel.h"
#include "ui/richtextdelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rag {

LaneView::LaneView(const QString &name, int ownColumn, QWidget *parent)
    : QGroupBox(name, parent), m_name(name), m_message(new QLabel), m_action(new QPushButton),
      m_model(new LaneResultModel(this)), m_view(new QTableView)
{
    m_message->setObjectName(QStringLiteral("laneMessage"));
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->hide();
    m_action->setObjectName(QStringLiteral("laneAction"));
    m_action->hide();
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(true);
    m_view->verticalHeader()->hide();
    m_view->setItemDelegateForColumn(int(LaneResultModel::Column::Snippet), new RichTextDelegate(m_view));
    // The lane's own place is the rank column already.
    if (ownColumn >= 0)
        m_view->setColumnHidden(ownColumn, true);
    m_view->setColumnHidden(int(LaneResultModel::Column::Moved), true);
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
    layout->addWidget(m_message);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addWidget(m_view);
    connect(m_action, &QPushButton::clicked, this, &LaneView::actionTriggered);
    auto activate = [this](const QModelIndex &index) {
        if (const LaneRow *row = m_model->row(index.row()))
            Q_EMIT resultActivated(row->documentId, row->start, row->end);
    };
    connect(m_view, &QTableView::doubleClicked, this, activate);
    connect(m_view, &QTableView::activated, this, activate);
}

void LaneView::setName(const QString &name)
{
    m_name = name;
    setTitle(name);
}

void LaneView::setShowsMovement(bool on)
{
    m_view->setColumnHidden(int(LaneResultModel::Column::Moved), !on);
    if (on) {
        // Where it moved matters most after the rank: show it next to it.
        auto *header = m_view->horizontalHeader();
        header->moveSection(header->visualIndex(int(LaneResultModel::Column::Moved)), 2);
    }
}

void LaneView::showMessage(const QString &text, const QString &actionText)
{
    m_message->setText(text);
    m_message->show();
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    m_view->hide();
}

void LaneView::clearMessage()
{
    m_message->clear();
    m_message->hide();
    m_action->hide();
    m_view->show();
}

QString LaneView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

bool LaneView::selectChunk(std::int64_t chunkId)
{
    const int row = m_model->rowOfChunk(chunkId);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, int(LaneResultModel::Column::Snippet));
    m_view->selectRow(row);
    m_view->scrollTo(index);
    return true;
}

void LaneView::setLatency(double ms)
{
    setTitle(tr("%1 — %2 ms").arg(m_name).arg(ms, 0, 'f', 1));
}

} // namespace rag
