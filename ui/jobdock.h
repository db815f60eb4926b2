#pragma once
// JobDock: the window's job area — every running and finished job with a
// progress bar, throughput, ETA, a cancel button and failures that open in a
// message box. GUI thread; observes the JobRunner it is given (not owned).
#include <QDockWidget>

class QTableView;
class QPushButton;

namespace rag {

class JobRunner;
class JobListModel;

class JobDock : public QDockWidget {
    Q_OBJECT
public:
    JobDock(JobRunner &runner, QWidget *parent = nullptr);
    JobListModel *model() const { return m_model; }

Q_SIGNALS:
    void runningCountChanged(int running);

private:
    void refreshJob(quint64 id);
    void cancelSelected();
    void showError(const QModelIndex &index);
    void updateButtons();

    JobRunner &m_runner;
    JobListModel *m_model;
    QTableView *m_view;
    QPushButton *m_cancel;
};

} // namespace rag
