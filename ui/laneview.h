#pragma once
// LaneView: one Playground lane — its title with latency, the ranked results
// table (snippets with highlighted query terms) and, when the lane has nothing to
// show, a message with an optional action button (e.g. "configure a reranker").
// GUI thread; owns its model.
#include <QGroupBox>

#include <cstdint>

class QLabel;
class QPushButton;
class QTableView;

namespace rag {

class LaneResultModel;

class LaneView : public QGroupBox {
    Q_OBJECT
public:
    // ownColumn: the model column that repeats this lane's own rank (hidden); -1 for none.
    LaneView(const QString &name, int ownColumn, QWidget *parent = nullptr);

    LaneResultModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    void setName(const QString &name);
    void setLatency(double ms);
    // Shows the "before reranking" column (the reranked lane).
    void setShowsMovement(bool on);
    // Replaces the table by a message; a non-empty actionText adds a button.
    void showMessage(const QString &text, const QString &actionText = {});
    void clearMessage();
    QString message() const;
    QPushButton *actionButton() const { return m_action; }
    // Selects and shows the row of this chunk; false when the lane does not show it.
    bool selectChunk(std::int64_t chunkId);

Q_SIGNALS:
    void resultActivated(qint64 documentId, qint64 start, qint64 end);
    void actionTriggered();

private:
    QString m_name;
    QLabel *m_message;
    QPushButton *m_action;
    LaneResultModel *m_model;
    QTableView *m_view;
};

} // namespace rag
