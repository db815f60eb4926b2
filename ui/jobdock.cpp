#include "ui/jobdock.h"

#include "core/jobs/jobrunner.h"
#include "models/joblistmodel.h"
#include "ui/progressdelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rag {

namespace {
constexpr std::size_t kKeepFinished = 30;
}

JobDock::JobDock(JobRunner &runner, QWidget *parent)
    : QDockWidget(tr("Jobs"), parent), m_runner(runner), m_model(new JobListModel(this)), m_view(new QTableView),
      m_cancel(new QPushButton(tr("&Cancel job")))
{
    setObjectName(QStringLiteral("jobDock"));
    m_view->setObjectName(QStringLiteral("jobView"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(int(JobListModel::Column::Progress), new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(int(JobListModel::Column::Title), QHeaderView::Stretch);
    m_view->horizontalHeader()->resizeSection(int(JobListModel::Column::Progress), 180);
    m_view->setToolTip(tr("Double-click a failed job to read its error."));
    m_cancel->setObjectName(QStringLiteral("cancelJobButton"));
    m_cancel->setEnabled(false);

    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_cancel);
    layout->addLayout(buttons);
    setWidget(content);

    connect(&m_runner, &JobRunner::jobAdded, this, &JobDock::refreshJob);
    connect(&m_runner, &JobRunner::jobChanged, this, &JobDock::refreshJob);
    connect(&m_runner, &JobRunner::jobFinished, this, [this](quint64 id) {
        refreshJob(id);
        m_runner.pruneFinished(kKeepFinished);
        std::vector<std::uint64_t> ids;
        for (const JobInfo &j : m_runner.jobs())
            ids.push_back(j.id);
        m_model->retain(ids);
        updateButtons();
    });
    connect(m_cancel, &QPushButton::clicked, this, &JobDock::cancelSelected);
    connect(m_view, &QTableView::doubleClicked, this, &JobDock::showError);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobDock::updateButtons);
}

void JobDock::refreshJob(quint64 id)
{
    const JobInfo info = m_runner.job(id);
    if (info.id == 0)
        return;
    m_model->upsert(info);
    updateButtons();
    Q_EMIT runningCountChanged(m_runner.runningCount());
}

void JobDock::cancelSelected()
{
    const QModelIndex current = m_view->currentIndex();
    if (const JobInfo *job = m_model->job(current.row()); job && job->state == JobState::Running)
        m_runner.cancel(job->id);
}

void JobDock::showError(const QModelIndex &index)
{
    const QString error = index.data(JobListModel::ErrorRole).toString();
    if (error.isEmpty())
        return;
    QMessageBox::warning(this, tr("Job failed"), index.siblingAtColumn(0).data().toString() + QStringLiteral("\n\n") + error);
}

void JobDock::updateButtons()
{
    const JobInfo *job = m_model->job(m_view->currentIndex().row());
    m_cancel->setEnabled(job && job->state == JobState::Running);
}

} // namespace rag
