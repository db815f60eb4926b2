#pragma once
// AnswerView: the Playground's answer panel under the lanes. Shows the answer as it
// streams in, then re-renders it with every "[n]" citation as a link to the passage it
// names and every citation that names no passage struck through in red; beside it,
// the passages the model saw with their token counts, what the token budget dropped,
// usage, cost, time to first token, total time and the model that answered. The
// panel holds the controls (Answer, Cancel, budget, top-k); the pane runs the job.
// GUI thread; owns its widgets.
#include "core/generate/answerer.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace rag {

class AnswerView : public QWidget {
    Q_OBJECT
public:
    explicit AnswerView(QWidget *parent = nullptr);

    QPushButton *answerButton() const { return m_answer; }
    QPushButton *cancelButton() const { return m_cancel; }
    QSpinBox *budgetBox() const { return m_budget; }
    QSpinBox *topKBox() const { return m_topK; }
    QTextBrowser *textView() const { return m_text; }
    QTextBrowser *detailsView() const { return m_details; }
    QLabel *statusLabel() const { return m_status; }

    void setModelName(const QString &spec);
    // A new answer from `lane` ("Reranked", "Hybrid", "BM25") begins; clears the panel.
    void start(const QString &lane);
    void appendDelta(const QString &delta);
    void finish(const Answer &answer);
    void showError(const QString &message);
    // Keeps the partial text and says it was cancelled.
    void markCancelled();

    bool isRunning() const { return m_running; }
    bool wasCancelled() const { return m_cancelled; }
    // The answer text as streamed so far (the final text once finished).
    QString text() const { return m_streamed; }
    const Answer *answer() const { return m_result ? &*m_result : nullptr; }

    // HTML of an answer with its citations as links (valid) or flagged (invalid).
    static QString answerHtml(const Answer &answer);

Q_SIGNALS:
    void answerRequested();
    void cancelRequested();
    // A citation link was clicked: passage `number`, chunk `chunkId`.
    void citationActivated(int number, qint64 chunkId);

private:
    void setRunning(bool running);
    void setStatusError(bool error);
    void showDetails(const Answer &answer);

    QPushButton *m_answer;
    QPushButton *m_cancel;
    QSpinBox *m_budget;
    QSpinBox *m_topK;
    QLabel *m_model;
    QLabel *m_status;
    QTextBrowser *m_text;
    QTextBrowser *m_details;
    QString m_lane;
    QString m_streamed;
    std::optional<Answer> m_result;
    bool m_running = false;
    bool m_cancelled = false;
};

} // namespace rag
