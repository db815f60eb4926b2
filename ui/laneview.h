#pragma once
// LaneView: one Playground lane — its title with latency and the ranked results
// table (snippets with highlighted query terms). GUI thread; owns its model.
#include <QGroupBox>

class QTableView;

namespace rag {

class LaneResultModel;

class LaneView : public QGroupBox {
    Q_OBJECT
public:
    LaneView(const QString &name, int ownColumn, QWidget *parent = nullptr);

    LaneResultModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void setLatency(double ms);

Q_SIGNALS:
    void resultActivated(qint64 documentId, qint64 start, qint64 end);

private:
    QString m_name;
    LaneResultModel *m_model;
    QTableView *m_view;
};

} // namespace rag
