// EvaluatePane's charts: metric means with their bootstrap CIs per run (judged
// means beside them), and a metric against a swept parameter with the best point.
#include "ui/evaluatepane.h"

#include "core/jobs/jobrunner.h"
#include "core/judging/judgedevaluation.h"
#include "ui/judgedview.h"
#include "ui/projectsession.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <iterator>

namespace rag {

namespace {

const QColor kPalette[] = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728),
                           QColor(0x9467bd), QColor(0x8c564b), QColor(0xe377c2), QColor(0x7f7f7f)};

QString jsonText(const nlohmann::json &value)
{
    return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
}

} // namespace

void EvaluatePane::fillMetricChart()
{
    auto *chart = new QChart;
    chart->setTitle(tr("Metric means with bootstrap 95% CI over queries"));
    auto *x = new QBarCategoryAxis;
    QStringList categories;
    for (std::size_t i = 0; i < m_view.runs.size(); ++i) {
        const RunComparison &c = m_view.comparisons[i];
        // The retrieval lane says most about a run, so it names the run when it changed.
        auto shown = std::find_if(c.changes.begin(), c.changes.end(),
                                  [](const std::string &line) { return line.starts_with("retrieval.lane"); });
        if (shown == c.changes.end())
            shown = c.changes.begin();
        QString what = c.candidateId == c.baselineId ? tr("baseline")
                       : !m_view.notComparable[i].empty() ? tr("not comparable")
                       : c.changes.empty()          ? tr("same config")
                                                    : QString::fromStdString(*shown).remove(QLatin1Char('"'));
        if (c.changes.size() > 1)
            what += tr(" (+%n more)", nullptr, int(c.changes.size() - 1));
        categories << QStringLiteral("#%1 %2").arg(m_view.runs[i].id).arg(what);
    }
    x->append(categories);
    auto *y = new QValueAxis;
    y->setRange(0, 1);
    y->setTitleText(tr("metric value"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const std::size_t metrics = m_view.estimates.empty() ? 0 : m_view.estimates.front().size();
    const double spread = 0.5 / double(std::max<std::size_t>(metrics, 1));
    for (std::size_t m = 0; m < metrics; ++m) {
        const QColor color = kPalette[m % std::size(kPalette)];
        auto *line = new QLineSeries;
        line->setName(QString::fromStdString(m_view.estimates.front()[m].metric));
        line->setColor(color);
        line->setPointsVisible(true);
        // Each metric is offset a little along x so the whiskers do not overlap.
        const double offset = (double(m) - double(metrics - 1) / 2.0) * spread;
        for (std::size_t r = 0; r < m_view.estimates.size(); ++r) {
            if (m >= m_view.estimates[r].size())
                continue;
            const MetricEstimate &e = m_view.estimates[r][m];
            line->append(double(r) + offset, e.mean);
            auto *whisker = new QLineSeries;
            whisker->setColor(color);
            whisker->append(double(r) + offset, e.ciLow);
            whisker->append(double(r) + offset, e.ciHigh);
            chart->addSeries(whisker);
            whisker->attachAxis(x);
            whisker->attachAxis(y);
        }
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    JudgedView::addMeanSeries(chart, x, y, m_view.judged, 0.5 / double(metrics + std::size(kJudgeMetrics)));
    // Only the metric lines go in the legend, not their whiskers.
    for (QLegendMarker *marker : chart->legend()->markers())
        marker->setVisible(marker->series()->name().size() > 0);
    // Judged series make the legend too long for the side: it goes below the plot then.
    const bool judged = std::any_of(m_view.judged.begin(), m_view.judged.end(), [](const nlohmann::json &j) { return j.is_object(); });
    chart->legend()->setAlignment(judged ? Qt::AlignBottom : Qt::AlignRight);
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

void EvaluatePane::showSweep()
{
    if (!m_session.isOpen() || m_view.runs.empty() || m_metric->currentText().isEmpty())
        return;
    std::vector<std::int64_t> ids;
    for (const RunSummary &r : m_view.runs)
        ids.push_back(r.id);
    const std::string parameter = m_sweepParameter->currentText().toStdString();
    const std::string metric = m_metric->currentText().toStdString();
    const Workbench wb = m_session.workbench();
    m_session.runner().start<SweepSeries>(
        tr("Sweep series").toStdString(),
        [wb, ids, parameter, metric](const JobContext &) { return wb.sweepSeries(ids, parameter, metric); }, this,
        [this](Result<SweepSeries> result) {
            auto *chart = new QChart;
            if (!result) {
                chart->setTitle(tr("No sweep: %1").arg(QString::fromStdString(result.error().message())));
            } else {
                chart->setTitle(tr("%1 against %2 (best point marked)")
                                    .arg(QString::fromStdString(result->metric), QString::fromStdString(result->parameter)));
                auto *x = new QBarCategoryAxis;
                auto *y = new QValueAxis;
                y->setRange(0, 1);
                y->setTitleText(QString::fromStdString(result->metric));
                chart->addAxis(x, Qt::AlignBottom);
                chart->addAxis(y, Qt::AlignLeft);
                auto *line = new QLineSeries;
                line->setName(QString::fromStdString(result->metric));
                line->setPointsVisible(true);
                auto *best = new QScatterSeries;
                best->setName(tr("best"));
                best->setMarkerSize(16);
                best->setColor(QColor(0xd62728));
                QStringList categories;
                for (std::size_t i = 0; i < result->points.size(); ++i) {
                    const SweepPoint &p = result->points[i];
                    categories << QStringLiteral("%1 (#%2)").arg(jsonText(p.value)).arg(p.runId);
                    line->append(double(i), p.estimate.mean);
                    auto *whisker = new QLineSeries;
                    whisker->append(double(i), p.estimate.ciLow);
                    whisker->append(double(i), p.estimate.ciHigh);
                    chart->addSeries(whisker);
                    whisker->attachAxis(x);
                    whisker->attachAxis(y);
                    if (result->best && *result->best == i)
                        best->append(double(i), p.estimate.mean);
                }
                x->append(categories);
                for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(line), static_cast<QAbstractSeries *>(best)}) {
                    chart->addSeries(s);
                    s->attachAxis(x);
                    s->attachAxis(y);
                }
                for (QLegendMarker *marker : chart->legend()->markers())
                    marker->setVisible(marker->series()->name().size() > 0);
            }
            QChart *old = m_sweepChart->chart();
            m_sweepChart->setChart(chart);
            delete old;
            Q_EMIT sweepShown();
        },
        "evaluate-sweep");
}

} // namespace rag
