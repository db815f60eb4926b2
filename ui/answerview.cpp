#include "ui/answerview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <map>

namespace rag {

namespace {

const QString kCiteScheme = QStringLiteral("cite");

QString escapedText(std::string_view utf8)
{
    return QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).toHtmlEscaped();
}

QString citationHtml(std::string_view group, const std::vector<const Citation *> &numbers)
{
    bool allValid = true;
    QStringList invalid;
    const Citation *firstValid = nullptr;
    for (const Citation *c : numbers) {
        allValid = allValid && c->valid;
        if (!c->valid)
            invalid << QString::number(c->number);
        else if (!firstValid)
            firstValid = c;
    }
    if (allValid)
        return QStringLiteral("<a href=\"%1:%2\">%3</a>").arg(kCiteScheme).arg(firstValid->number).arg(escapedText(group));
    const QString tip = numbers.size() == 1 ? AnswerView::tr("names no retrieved passage")
                                            : AnswerView::tr("[%1] names no retrieved passage").arg(invalid.join(QStringLiteral(", ")));
    return QStringLiteral("<span style=\"color:#c0392b; text-decoration:line-through\" title=\"%1\">%2</span>")
        .arg(tip.toHtmlEscaped(), escapedText(group));
}

QString milliseconds(double ms)
{
    return ms < 0 ? QStringLiteral("–") : AnswerView::tr("%1 ms").arg(ms, 0, 'f', 0);
}

} // namespace

AnswerView::AnswerView(QWidget *parent)
    : QWidget(parent), m_answer(new QPushButton(tr("&Answer"))), m_cancel(new QPushButton(tr("Cance&l"))),
      m_budget(new QSpinBox), m_topK(new QSpinBox), m_model(new QLabel), m_status(new QLabel),
      m_text(new QTextBrowser), m_details(new QTextBrowser)
{
    setObjectName(QStringLiteral("answerView"));
    m_answer->setObjectName(QStringLiteral("answerButton"));
    m_answer->setToolTip(tr("Answer the query from the best lane's results (Ctrl+Return)"));
    m_cancel->setObjectName(QStringLiteral("cancelAnswerButton"));
    m_cancel->setEnabled(false);
    m_budget->setObjectName(QStringLiteral("answerBudgetBox"));
    m_budget->setRange(256, 1000000);
    m_budget->setSingleStep(250);
    m_budget->setValue(3000);
    m_budget->setSuffix(tr(" tokens"));
    m_budget->setToolTip(tr("The whole prompt, passages included, counted with the exact tokenizer"));
    m_topK->setObjectName(QStringLiteral("answerTopKBox"));
    m_topK->setRange(1, 100);
    m_topK->setValue(5);
    m_topK->setToolTip(tr("Chunks offered to the prompt; the lowest-ranked are dropped first when over budget"));
    m_model->setObjectName(QStringLiteral("answerModelLabel"));
    m_status->setObjectName(QStringLiteral("answerStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Status text changes with every answer: it must not re-lay out (and repaint) the pane.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_text->setObjectName(QStringLiteral("answerText"));
    m_text->setOpenLinks(false);
    m_text->setPlaceholderText(tr("Run a query, then Answer (Ctrl+Return) to generate a grounded answer with citations."));
    m_details->setObjectName(QStringLiteral("answerDetails"));
    m_details->setOpenLinks(false);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_answer);
    controls->addWidget(m_cancel);
    auto *budgetLabel = new QLabel(tr("&Budget"));
    budgetLabel->setBuddy(m_budget);
    controls->addWidget(budgetLabel);
    controls->addWidget(m_budget);
    auto *topKLabel = new QLabel(tr("Pa&ssages"));
    topKLabel->setBuddy(m_topK);
    controls->addWidget(topKLabel);
    controls->addWidget(m_topK);
    controls->addWidget(m_model);
    controls->addWidget(m_status, 1);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_text);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(split, 1);

    connect(m_answer, &QPushButton::clicked, this, &AnswerView::answerRequested);
    connect(m_cancel, &QPushButton::clicked, this, &AnswerView::cancelRequested);
    auto onLink = [this](const QUrl &url) {
        if (url.scheme() != kCiteScheme || !m_result)
            return;
        const int number = url.path().toInt();
        if (const CitedChunk *cited = m_result->context.cited(number))
            Q_EMIT citationActivated(number, qint64(cited->chunk.chunkId));
    };
    connect(m_text, &QTextBrowser::anchorClicked, this, onLink);
    connect(m_details, &QTextBrowser::anchorClicked, this, onLink);
}

void AnswerView::setModelName(const QString &spec)
{
    m_model->setText(tr("Model: %1").arg(spec));
}

void AnswerView::setStatusError(bool error)
{
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, error ? QColor(0xc0, 0x39, 0x2b) : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
}

void AnswerView::setRunning(bool running)
{
    m_running = running;
    m_cancel->setEnabled(running);
}

void AnswerView::start(const QString &lane)
{
    m_lane = lane;
    m_streamed.clear();
    m_result.reset();
    m_cancelled = false;
    m_text->clear();
    m_details->clear();
    setStatusError(false);
    m_status->setText(tr("Answering from the %1 lane…").arg(lane));
    setRunning(true);
}

void AnswerView::appendDelta(const QString &delta)
{
    if (!m_running)
        return;
    m_streamed += delta;
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(delta);
    m_text->verticalScrollBar()->setValue(m_text->verticalScrollBar()->maximum());
}

QString AnswerView::answerHtml(const Answer &answer)
{
    // Group the citations by bracket group ("[1, 3]" is one group of two numbers).
    std::map<std::size_t, std::vector<const Citation *>> groups;
    std::map<std::size_t, std::size_t> lengths;
    for (const Citation &c : answer.citations.citations) {
        groups[c.offset].push_back(&c);
        lengths[c.offset] = c.length;
    }
    const std::string &text = answer.response.text;
    QString html = QStringLiteral("<div style=\"white-space:pre-wrap\">");
    std::size_t pos = 0;
    for (const auto &[offset, numbers] : groups) {
        if (offset < pos || offset + lengths[offset] > text.size())
            continue;
        html += escapedText(std::string_view(text).substr(pos, offset - pos));
        html += citationHtml(std::string_view(text).substr(offset, lengths[offset]), numbers);
        pos = offset + lengths[offset];
    }
    html += escapedText(std::string_view(text).substr(pos));
    html += QStringLiteral("</div>");
    return html;
}

void AnswerView::showDetails(const Answer &a)
{
    const ChatResponse &r = a.response;
    QString html = QStringLiteral("<p>") + tr("Fed by the <b>%1</b> lane; answered by <b>%2</b>")
                                              .arg(m_lane.toHtmlEscaped(),
                                                   QString::fromStdString(r.provider + (r.model.empty() ? "" : ":" + r.model)).toHtmlEscaped());
    for (const std::string &skip : r.skipped)
        html += QStringLiteral("<br>") + tr("fell back past %1").arg(QString::fromStdString(skip).toHtmlEscaped());
    html += QStringLiteral("</p><p>");
    if (r.usage.known())
        html += tr("Usage: %1 input / %2 output tokens").arg(r.usage.inputTokens).arg(r.usage.outputTokens);
    else
        html += tr("Usage: not reported");
    if (r.costUsd)
        html += QStringLiteral(" · ") + tr("cost $%1").arg(*r.costUsd, 0, 'f', 6);
    html += QStringLiteral("<br>") + tr("First token %1 · total %2").arg(milliseconds(r.firstDeltaMs), milliseconds(r.totalMs));
    html += QStringLiteral("<br>") + tr("Prompt %1 of %2 tokens").arg(a.context.promptTokens).arg(a.context.budgetTokens);
    html += QStringLiteral("</p><p><b>") + tr("Passages") + QStringLiteral("</b>");
    for (const CitedChunk &c : a.context.included)
        html += QStringLiteral("<br><a href=\"%1:%2\">[%2]</a> %3 — ").arg(kCiteScheme).arg(c.number)
                    .arg(QString::fromStdString(c.chunk.documentKey).toHtmlEscaped())
              + tr("%1 tokens").arg(c.tokens);
    html += QStringLiteral("</p>");
    if (!a.context.dropped.empty()) {
        std::size_t tokens = 0;
        for (const DroppedChunk &d : a.context.dropped)
            tokens += d.tokens;
        html += QStringLiteral("<p><b>") + tr("Dropped for the token budget: %1 chunks, %2 tokens").arg(a.context.dropped.size()).arg(tokens)
              + QStringLiteral("</b>");
        for (const DroppedChunk &d : a.context.dropped)
            html += QStringLiteral("<br>") + tr("rank %1, %2 — %3 tokens").arg(d.chunk.rank)
                        .arg(QString::fromStdString(d.chunk.documentKey).toHtmlEscaped()).arg(d.tokens);
        html += QStringLiteral("</p>");
    }
    if (!a.citations.invalidNumbers.empty()) {
        QStringList numbers;
        for (int n : a.citations.invalidNumbers)
            numbers << QStringLiteral("[%1]").arg(n);
        html += QStringLiteral("<p style=\"color:#c0392b\">") + tr("%1 names no retrieved passage").arg(numbers.join(QStringLiteral(" ")))
              + QStringLiteral("</p>");
    }
    m_details->setHtml(html);
}

void AnswerView::finish(const Answer &answer)
{
    m_result = answer;
    m_streamed = QString::fromStdString(answer.response.text);
    setRunning(false);
    m_text->setHtml(answerHtml(answer));
    showDetails(answer);
    m_status->setText(answer.citations.invalidNumbers.empty()
                          ? tr("Answered from the %1 lane").arg(m_lane)
                          : tr("Answered from the %1 lane; %n citation(s) name no retrieved passage", nullptr,
                               int(answer.citations.invalidNumbers.size())).arg(m_lane));
}

void AnswerView::showError(const QString &message)
{
    setRunning(false);
    setStatusError(true);
    m_status->setText(tr("Answer failed: %1").arg(message));
}

void AnswerView::markCancelled()
{
    if (!m_running)
        return;
    setRunning(false);
    m_cancelled = true;
    setStatusError(true);
    m_status->setText(tr("Cancelled — the answer above is partial"));
}

} // namespace rag
