#include "ui/judgedview.h"

#include "core/judging/judgeprompt.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace rag {

namespace {

QTableWidgetItem *item(const QString &text, const QVariant &value = {})
{
    auto *it = new QTableWidgetItem(text);
    it->setFlags(it->flags() & ~Qt::ItemIsEditable);
    if (value.isValid())
        it->setData(Qt::UserRole, value);
    return it;
}

// Apart from the retrieval metrics' palette, so a judged series is never mistaken for one.
const QColor kJudgedPalette[] = {QColor(0x17becf), QColor(0xbcbd22), QColor(0x393b79), QColor(0xad494a)};

QString str(const nlohmann::json &j, const char *key)
{
    const auto found = j.find(key);
    return found != j.end() && found->is_string() ? QString::fromStdString(found->get<std::string>()) : QString();
}

QString optionalNumber(const nlohmann::json &j, const char *key, int decimals)
{
    const auto found = j.find(key);
    return found != j.end() && found->is_number() ? QString::number(found->get<double>(), 'f', decimals) : QStringLiteral("–");
}

// The spread of a query's measured repeats (max - min), or nothing with fewer than two.
std::optional<double> repeatSpread(const nlohmann::json &judgement)
{
    std::vector<double> measured;
    for (const auto &r : judgement.value("repeats", nlohmann::json::array()))
        if (r.contains("score") && r["score"].is_number())
            measured.push_back(r["score"].get<double>());
    if (measured.size() < 2)
        return std::nullopt;
    const auto [lo, hi] = std::minmax_element(measured.begin(), measured.end());
    return *hi - *lo;
}

QString agreementTip(const nlohmann::json &summary)
{
    const nlohmann::json a = summary.value("agreement", nlohmann::json::object());
    const int items = a.value("items", 0);
    if (items == 0)
        return JudgedView::tr("repeat agreement: no query was judged twice");
    return JudgedView::tr("repeat agreement over %1 queries: mean absolute deviation %2, %3 within ±%4")
        .arg(items)
        .arg(optionalNumber(a, "mean_absolute_deviation", 4))
        .arg(a.contains("within_tolerance_share") && a["within_tolerance_share"].is_number()
                 ? QStringLiteral("%1%").arg(a["within_tolerance_share"].get<double>() * 100.0, 0, 'f', 0)
                 : QStringLiteral("–"))
        .arg(a.value("tolerance", 0.1));
}

QString citationsText(const nlohmann::json &q)
{
    QStringList parts;
    const nlohmann::json context = q.value("context", nlohmann::json::array());
    for (const auto &n : q.value("cited", nlohmann::json::array())) {
        QString doc;
        for (const auto &c : context)
            if (c.value("number", 0) == n.get<int>())
                doc = QString::fromStdString(c.value("doc_key", std::string()));
        parts << (doc.isEmpty() ? QStringLiteral("[%1]").arg(n.get<int>()) : QStringLiteral("[%1] %2").arg(n.get<int>()).arg(doc));
    }
    for (const auto &n : q.value("invalid_citations", nlohmann::json::array()))
        parts << JudgedView::tr("[%1] (no such passage)").arg(n.get<int>());
    return parts.join(QStringLiteral(", "));
}

} // namespace

JudgedView::JudgedView(QWidget *parent)
    : QWidget(parent), m_run(new QComboBox), m_usage(new QLabel), m_summary(new QTableWidget), m_queries(new QTableWidget),
      m_detail(new QTextBrowser)
{
    setObjectName(QStringLiteral("judgedView"));
    m_run->setObjectName(QStringLiteral("judgedRunBox"));
    m_summary->setObjectName(QStringLiteral("judgedSummaryTable"));
    m_queries->setObjectName(QStringLiteral("judgedQueryTable"));
    m_detail->setObjectName(QStringLiteral("judgedDetail"));
    QStringList metricHeaders;
    for (JudgeMetric metric : kJudgeMetrics)
        metricHeaders << QString::fromLatin1(judgeMetricName(metric));
    m_summary->setColumnCount(int(metricHeaders.size()) + 3);
    m_summary->setHorizontalHeaderLabels(QStringList{tr("Run")} + metricHeaders + QStringList{tr("Answer model"), tr("Judge model")});
    m_queries->setColumnCount(int(metricHeaders.size()) + 4);
    m_queries->setHorizontalHeaderLabels(QStringList{tr("Query"), tr("Answer"), tr("Citations")} + metricHeaders
                                         + QStringList{tr("Repeat agreement")});
    for (QTableWidget *t : {m_summary, m_queries}) {
        t->setSelectionBehavior(QAbstractItemView::SelectRows);
        t->setSelectionMode(QAbstractItemView::SingleSelection);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->setVisible(false);
        t->horizontalHeader()->setStretchLastSection(true);
    }
    m_queries->setTextElideMode(Qt::ElideRight);
    m_queries->setWordWrap(false);
    m_detail->setOpenLinks(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Judged run:")));
    bar->addWidget(m_run, 1);
    bar->addWidget(m_usage, 2);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_queries);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_run, &QComboBox::currentIndexChanged, this, &JudgedView::fillQueries);
    connect(m_summary, &QTableWidget::cellClicked, this,
            [this](int row) { showRun(m_summary->item(row, 0)->data(Qt::UserRole).toLongLong()); });
    connect(m_queries, &QTableWidget::currentCellChanged, this, [this](int row) { showQuery(row); });
}

void JudgedView::addMeanSeries(QChart *chart, QAbstractAxis *x, QAbstractAxis *y, const std::vector<nlohmann::json> &judgedByRun,
                               double spread)
{
    std::size_t m = 0;
    for (JudgeMetric metric : kJudgeMetrics) {
        auto *line = new QLineSeries;
        line->setName(tr("%1 (judged)").arg(QString::fromLatin1(judgeMetricName(metric))));
        QPen pen(kJudgedPalette[m % std::size(kJudgedPalette)]);
        pen.setStyle(Qt::DashLine);
        pen.setWidth(2);
        line->setPen(pen);
        line->setPointsVisible(true);
        const double offset = (double(m) - double(std::size(kJudgeMetrics) - 1) / 2.0) * spread;
        ++m;
        for (std::size_t r = 0; r < judgedByRun.size(); ++r) {
            if (!judgedByRun[r].is_object())
                continue;
            const nlohmann::json summary = judgedByRun[r]
                                               .value("metrics", nlohmann::json::object())
                                               .value(judgeMetricName(metric), nlohmann::json::object());
            const auto mean = summary.find("mean");
            if (mean != summary.end() && mean->is_number() && summary.value("measured", 0) > 0)
                line->append(double(r) + offset, mean->get<double>());
        }
        if (line->count() == 0) {
            delete line;
            continue;
        }
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
}

QString JudgedView::metricText(const nlohmann::json &summary)
{
    const auto measured = summary.value("measured", std::int64_t(0));
    const auto total = measured + summary.value("unmeasured", std::int64_t(0));
    const auto mean = summary.find("mean");
    if (measured == 0 || mean == summary.end() || !mean->is_number())
        return tr("unmeasured (0/%1)").arg(total);
    return QStringLiteral("%1 (%2/%3)").arg(QString::number(mean->get<double>(), 'f', 4)).arg(measured).arg(total);
}

void JudgedView::setRuns(std::vector<JudgedRunView> runs)
{
    const QVariant keep = m_run->currentData();
    m_runs = std::move(runs);
    m_summary->setRowCount(int(m_runs.size()));
    for (int row = 0; row < int(m_runs.size()); ++row) {
        const JudgedRunView &run = m_runs[std::size_t(row)];
        m_summary->setItem(row, 0, item(run.label, QVariant::fromValue<qlonglong>(run.runId)));
        const nlohmann::json metrics = run.judged.value("metrics", nlohmann::json::object());
        int column = kFirstMetricColumn;
        for (JudgeMetric metric : kJudgeMetrics) {
            const nlohmann::json summary = metrics.value(judgeMetricName(metric), nlohmann::json::object());
            const auto mean = summary.find("mean");
            // Unmeasured metrics carry no value, so nothing can sort or plot them as 0.
            QTableWidgetItem *cell = item(metricText(summary), mean != summary.end() && mean->is_number()
                                                                   ? QVariant(mean->get<double>())
                                                                   : QVariant());
            cell->setToolTip(agreementTip(summary));
            m_summary->setItem(row, column++, cell);
        }
        m_summary->setItem(row, column++, item(str(run.judged, "answer_model")));
        m_summary->setItem(row, column, item(str(run.judged, "judge_model")));
    }
    m_summary->resizeColumnsToContents();
    // As tall as its rows (a few judged runs), leaving the room to the per-query view.
    const int rows = std::max(1, std::min(m_summary->rowCount(), 4));
    m_summary->setFixedHeight(m_summary->horizontalHeader()->sizeHint().height() + rows * m_summary->verticalHeader()->defaultSectionSize()
                              + 2 * m_summary->frameWidth() + 2);
    m_run->blockSignals(true);
    m_run->clear();
    for (const JudgedRunView &run : m_runs)
        m_run->addItem(run.label, QVariant::fromValue<qlonglong>(run.runId));
    const int kept = keep.isValid() ? m_run->findData(keep) : -1;
    m_run->setCurrentIndex(kept >= 0 ? kept : m_run->count() - 1);
    m_run->blockSignals(false);
    fillQueries();
}

void JudgedView::showRun(std::int64_t runId)
{
    const int index = m_run->findData(QVariant::fromValue<qlonglong>(runId));
    if (index >= 0 && index != m_run->currentIndex())
        m_run->setCurrentIndex(index);
}

void JudgedView::fillQueries()
{
    m_queries->setRowCount(0);
    m_detail->clear();
    m_usage->clear();
    const int index = m_run->currentIndex();
    if (index < 0 || index >= int(m_runs.size()))
        return;
    const nlohmann::json &judged = m_runs[std::size_t(index)].judged;
    const nlohmann::json usage = judged.value("usage", nlohmann::json::object());
    m_usage->setText(tr("answers by %1, judged by %2; judge calls: %3")
                         .arg(str(judged, "answer_model"), str(judged, "judge_model"))
                         .arg(usage.value("judge", nlohmann::json::object()).value("calls", std::int64_t(0))));
    const nlohmann::json queries = judged.value("queries", nlohmann::json::array());
    m_queries->setRowCount(int(queries.size()));
    for (int row = 0; row < int(queries.size()); ++row) {
        const nlohmann::json &q = queries[std::size_t(row)];
        m_queries->setItem(row, 0, item(QStringLiteral("%1: %2").arg(str(q, "query_id"), str(q, "question")), str(q, "query_id")));
        const QString answer = q.contains("answer_error") ? tr("(no answer: %1)").arg(str(q, "answer_error")) : str(q, "answer");
        QTableWidgetItem *answerCell = item(answer.simplified());
        answerCell->setToolTip(answer);
        m_queries->setItem(row, 1, answerCell);
        m_queries->setItem(row, 2, item(citationsText(q)));
        const nlohmann::json metrics = q.value("metrics", nlohmann::json::object());
        int column = kFirstQueryMetricColumn;
        QStringList spreads;
        for (JudgeMetric metric : kJudgeMetrics) {
            const nlohmann::json j = metrics.value(judgeMetricName(metric), nlohmann::json::object());
            const auto score = j.find("score");
            QTableWidgetItem *cell = score != j.end() && score->is_number()
                ? item(QString::number(score->get<double>(), 'f', 4), score->get<double>())
                : item(tr("unmeasured: %1").arg(str(j, "unmeasured")));
            m_queries->setItem(row, column++, cell);
            if (const auto spread = repeatSpread(j))
                spreads << QStringLiteral("%1 ±%2").arg(QString::fromLatin1(judgeMetricName(metric)).left(5),
                                                         QString::number(*spread / 2.0, 'f', 2));
        }
        m_queries->setItem(row, column, item(spreads.isEmpty() ? tr("single judgement") : spreads.join(QStringLiteral(", "))));
    }
    m_queries->resizeColumnsToContents();
    // Long questions and answers are elided (the detail shows them whole).
    m_queries->setColumnWidth(0, std::min(m_queries->columnWidth(0), 280));
    m_queries->setColumnWidth(1, std::min(m_queries->columnWidth(1), 360));
    m_queries->setColumnWidth(2, std::min(m_queries->columnWidth(2), 160));
    if (m_queries->rowCount() > 0)
        m_queries->setCurrentCell(0, 0);
}

void JudgedView::showQuery(int row)
{
    const int index = m_run->currentIndex();
    if (index < 0 || index >= int(m_runs.size()) || row < 0)
        return;
    const nlohmann::json queries = m_runs[std::size_t(index)].judged.value("queries", nlohmann::json::array());
    if (row >= int(queries.size()))
        return;
    const nlohmann::json &q = queries[std::size_t(row)];
    const auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    QString html = QStringLiteral("<h3>%1</h3>").arg(esc(str(q, "question")));
    if (q.contains("reference") && q["reference"].is_string())
        html += tr("<p><b>Reference:</b> %1</p>").arg(esc(str(q, "reference")));
    html += q.contains("answer_error") ? tr("<p><b>No answer:</b> %1</p>").arg(esc(str(q, "answer_error")))
                                       : tr("<p><b>Answer:</b> %1</p>").arg(esc(str(q, "answer")));
    html += tr("<p><b>Citations:</b> %1</p>").arg(esc(citationsText(q)));
    html += QStringLiteral("<p><b>%1</b><ul>").arg(tr("Passages the answer saw:"));
    for (const auto &c : q.value("context", nlohmann::json::array()))
        html += tr("<li>[%1] %2 (rank %3)</li>")
                    .arg(c.value("number", 0))
                    .arg(esc(QString::fromStdString(c.value("doc_key", std::string()))))
                    .arg(c.value("rank", 0));
    html += QStringLiteral("</ul></p><table cellpadding=\"3\">");
    const nlohmann::json metrics = q.value("metrics", nlohmann::json::object());
    for (JudgeMetric metric : kJudgeMetrics) {
        const nlohmann::json j = metrics.value(judgeMetricName(metric), nlohmann::json::object());
        const auto score = j.find("score");
        const QString value = score != j.end() && score->is_number() ? QString::number(score->get<double>(), 'f', 4)
                                                                      : tr("unmeasured — %1").arg(esc(str(j, "unmeasured")));
        QStringList repeats;
        for (const auto &r : j.value("repeats", nlohmann::json::array()))
            repeats << (r.contains("score") && r["score"].is_number() ? QString::number(r["score"].get<double>(), 'f', 4)
                                                                       : tr("unmeasured"));
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td>%3</td></tr>")
                    .arg(QString::fromLatin1(judgeMetricName(metric)), value,
                         repeats.size() > 1 ? tr("repeats: %1").arg(repeats.join(QStringLiteral(", "))) : QString());
    }
    html += QStringLiteral("</table>");
    m_detail->setHtml(html);
    Q_EMIT queryShown(row);
}

} // namespace rag
