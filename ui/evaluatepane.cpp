#include "ui/evaluatepane.h"

#include "core/jobs/jobrunner.h"
#include "core/judging/judgedevaluation.h"
#include "ui/judgedview.h"
#include "ui/modelservices.h"
#include "ui/projectsession.h"
#include "ui/secretchain.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>

namespace rag {

namespace {

QString num(double v, int decimals = 4)
{
    return QString::number(v, 'f', decimals);
}

QTableWidgetItem *cell(const QString &text, const QVariant &sortValue = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (sortValue.isValid())
        item->setData(Qt::UserRole, sortValue);
    return item;
}

QTableWidget *makeTable(const QString &name, const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setObjectName(name);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

// Runs, their estimates and their comparison with the baseline (job thread).
Result<EvaluateView> computeView(const Workbench &wb, std::int64_t wantedBaseline, const JobContext &ctx)
{
    auto runs = wb.runs();
    if (!runs)
        return std::unexpected(runs.error());
    EvaluateView view;
    view.runs = std::move(*runs);
    if (view.runs.empty())
        return view;
    view.baselineId = view.runs.front().id;
    for (const RunSummary &r : view.runs)
        if (r.id == wantedBaseline)
            view.baselineId = wantedBaseline;
    for (std::size_t i = 0; i < view.runs.size(); ++i) {
        if (ctx.cancelled())
            return fail(ErrorCode::Cancelled, "cancelled", {});
        auto report = wb.runReport(view.runs[i].id);
        if (!report)
            return std::unexpected(report.error());
        view.estimates.push_back(metricEstimates(*report));
        auto record = wb.run(view.runs[i].id);
        if (!record)
            return std::unexpected(record.error());
        // Retrieval-only runs have no judged section (NotFound); any other failure is real.
        auto judged = judgedSectionOfReport(record->reportJson);
        if (!judged && judged.error().code != ErrorCode::NotFound)
            return std::unexpected(judged.error());
        view.judged.push_back(judged ? std::move(*judged) : nlohmann::json());
        auto comparison = wb.compareRuns(view.baselineId, view.runs[i].id);
        if (!comparison && comparison.error().code != ErrorCode::Mismatch)
            return std::unexpected(comparison.error());
        // A run on another eval set, or on a subset of its queries (a judged run with a
        // limit), has no paired comparison with the baseline; the others still do.
        view.notComparable.push_back(comparison ? std::string() : comparison.error().detail);
        if (!comparison)
            comparison = RunComparison{view.baselineId, view.runs[i].id, {}, {}};
        view.comparisons.push_back(std::move(*comparison));
        ctx.progress(std::int64_t(i + 1), std::int64_t(view.runs.size()));
    }
    return view;
}

} // namespace

EvaluatePane::EvaluatePane(ProjectSession &session, QWidget *parent)
    : QWidget(parent), m_session(session), m_baseline(new QComboBox), m_metric(new QComboBox), m_runA(new QComboBox),
      m_runB(new QComboBox), m_k(new QSpinBox), m_sweepParameter(new QComboBox), m_status(new QLabel),
      m_chart(new QChartView), m_comparison(makeTable(QStringLiteral("comparisonTable"),
                                                     {tr("Run"), tr("Changes from baseline"), tr("Metric"), tr("Baseline"),
                                                      tr("Run value"), tr("Δ"), tr("95% CI of Δ"), tr("p"), tr("Verdict"),
                                                      tr("Queries for 80% power")})),
      m_drill(makeTable(QStringLiteral("drillDownTable"),
                        {tr("Query"), tr("Δ"), tr("Run A"), tr("Run B"), tr("Entered top-k"), tr("Left top-k"),
                         tr("Rank moves (relevant)")})),
      m_sweepChart(new QChartView), m_judged(new JudgedView), m_newRun(new QPushButton(tr("&New run…"))),
      m_cancelRun(new QPushButton(tr("Cancel run"))), m_runProgress(new QProgressBar),
      m_services(std::make_shared<ModelServices>(SecretChain::keychainThenEnvironment()))
{
    setObjectName(QStringLiteral("evaluatePane"));
    m_baseline->setObjectName(QStringLiteral("baselineBox"));
    m_metric->setObjectName(QStringLiteral("metricBox"));
    m_runA->setObjectName(QStringLiteral("runABox"));
    m_runB->setObjectName(QStringLiteral("runBBox"));
    m_sweepParameter->setObjectName(QStringLiteral("sweepParameterBox"));
    m_sweepParameter->addItems({QStringLiteral("chunker.size"), QStringLiteral("chunker.overlap"),
                                QStringLiteral("chunker.strategy")});
    m_k->setRange(1, 10);
    m_k->setValue(10);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_sweepChart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(260);
    m_status->setObjectName(QStringLiteral("evaluateStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_newRun->setObjectName(QStringLiteral("newRunButton"));
    m_newRun->setToolTip(tr("Evaluate a pipeline variant on a stored eval set"));
    m_cancelRun->setObjectName(QStringLiteral("cancelRunButton"));
    m_runProgress->setObjectName(QStringLiteral("runProgress"));
    m_runProgress->setTextVisible(true);
    m_runProgress->setMinimumWidth(220);
    m_runProgress->hide();
    m_cancelRun->hide();

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Baseline:")));
    top->addWidget(m_baseline, 2);
    top->addWidget(new QLabel(tr("Metric:")));
    top->addWidget(m_metric, 1);
    auto *reloadButton = new QPushButton(tr("&Reload runs"));
    top->addWidget(reloadButton);
    top->addWidget(m_newRun);
    top->addWidget(m_runProgress, 1);
    top->addWidget(m_cancelRun);
    top->addWidget(m_status, 2);

    auto *drillPage = new QWidget;
    auto *drillBar = new QHBoxLayout;
    drillBar->addWidget(new QLabel(tr("Run A:")));
    drillBar->addWidget(m_runA, 1);
    drillBar->addWidget(new QLabel(tr("Run B:")));
    drillBar->addWidget(m_runB, 1);
    drillBar->addWidget(new QLabel(tr("k:")));
    drillBar->addWidget(m_k);
    auto *drillButton = new QPushButton(tr("Compare &queries"));
    drillBar->addWidget(drillButton);
    auto *drillLayout = new QVBoxLayout(drillPage);
    drillLayout->addLayout(drillBar);
    drillLayout->addWidget(m_drill);
    drillLayout->addWidget(new QLabel(tr("Double-click a query to run it in the Playground.")));

    auto *sweepPage = new QWidget;
    auto *sweepBar = new QHBoxLayout;
    sweepBar->addWidget(new QLabel(tr("Parameter:")));
    sweepBar->addWidget(m_sweepParameter);
    sweepBar->addStretch(1);
    auto *sweepLayout = new QVBoxLayout(sweepPage);
    sweepLayout->addLayout(sweepBar);
    sweepLayout->addWidget(m_sweepChart);

    auto *bottom = new QTabWidget;
    m_tabs = bottom;
    bottom->setObjectName(QStringLiteral("evaluateTabs"));
    bottom->addTab(m_comparison, tr("Against the baseline"));
    bottom->addTab(drillPage, tr("Per-query drill-down"));
    bottom->addTab(sweepPage, tr("Sweep"));
    m_judgedTab = m_judged;
    m_judged->setParent(this);  // owned here until a judged run puts it in a tab
    m_judged->hide();

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_chart);
    split->addWidget(bottom);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(reloadButton, &QPushButton::clicked, this, &EvaluatePane::reload);
    connect(m_newRun, &QPushButton::clicked, this, &EvaluatePane::openNewRunDialog);
    connect(m_cancelRun, &QPushButton::clicked, this, &EvaluatePane::cancelRun);
    connect(&m_session.runner(), &JobRunner::jobChanged, this, [this](quint64 id) { showRunProgress(id); });
    connect(drillButton, &QPushButton::clicked, this, &EvaluatePane::showDrillDown);
    connect(m_baseline, &QComboBox::activated, this, &EvaluatePane::reload);
    connect(m_metric, &QComboBox::activated, this, [this] {
        showDrillDown();
        showSweep();
    });
    connect(m_sweepParameter, &QComboBox::activated, this, &EvaluatePane::showSweep);
    connect(m_drill, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        const QTableWidgetItem *item = m_drill->item(row, 0);
        if (item)
            Q_EMIT openQuery(item->data(Qt::UserRole).toString());
    });
    connect(&m_session, &ProjectSession::stateChanged, this, [this] {
        const auto state = m_session.state();
        if (state && state->snapshot.runs.size() != m_view.runs.size())
            reload();
    });
}

void EvaluatePane::reload()
{
    if (!m_session.isOpen())
        return;
    const std::int64_t wanted = m_baseline->currentData().isValid() ? m_baseline->currentData().toLongLong() : 0;
    const Workbench wb = m_session.workbench();
    m_status->setText(tr("Comparing runs…"));
    m_session.runner().start<EvaluateView>(
        tr("Compare evaluation runs").toStdString(),
        [wb, wanted](const JobContext &ctx) { return computeView(wb, wanted, ctx); }, this,
        [this](Result<EvaluateView> result) {
            if (!result) {
                m_status->setText(tr("Comparison failed: %1").arg(QString::fromStdString(result.error().message())));
                return;
            }
            m_view = std::move(*result);
            const QString count = m_view.runs.empty() ? tr("No evaluation runs yet") : tr("%n run(s)", nullptr, int(m_view.runs.size()));
            m_status->setText(m_runNote.isEmpty() ? count : count + QStringLiteral(" · ") + m_runNote);
            fillRunBoxes();
            fillMetricChart();
            fillComparison();
            fillJudged();
            Q_EMIT comparisonShown();
            showDrillDown();
            showSweep();
        },
        "evaluate-compare");
}

QString EvaluatePane::runLabel(std::size_t index) const
{
    const RunSummary &run = m_view.runs[index];
    QString name = QStringLiteral("#%1").arg(run.id);
    if (!run.label.empty())
        name += QStringLiteral(" ") + QString::fromStdString(run.label);
    return name;
}

void EvaluatePane::fillRunBoxes()
{
    const QString metric = m_metric->currentText();
    const QVariant a = m_runA->currentData(), b = m_runB->currentData();
    for (QComboBox *box : {m_baseline, m_runA, m_runB}) {
        box->clear();
        for (std::size_t i = 0; i < m_view.runs.size(); ++i)
            box->addItem(runLabel(i), QVariant::fromValue<qlonglong>(m_view.runs[i].id));
    }
    m_baseline->setCurrentIndex(m_baseline->findData(QVariant::fromValue<qlonglong>(m_view.baselineId)));
    m_runA->setCurrentIndex(a.isValid() && m_runA->findData(a) >= 0 ? m_runA->findData(a)
                                                                     : m_runA->findData(QVariant::fromValue<qlonglong>(m_view.baselineId)));
    const int fallbackB = m_view.runs.size() > 1 ? int(m_view.runs.size()) - 1 : 0;
    m_runB->setCurrentIndex(b.isValid() && m_runB->findData(b) >= 0 ? m_runB->findData(b) : fallbackB);
    // A run just recorded from "New run…" is what the user wants to look at.
    if (const int fresh = m_runB->findData(QVariant::fromValue<qlonglong>(m_showAsRunB)); m_showAsRunB != 0 && fresh >= 0) {
        m_runB->setCurrentIndex(fresh);
        m_showAsRunB = 0;
    }
    m_metric->clear();
    if (!m_view.estimates.empty())
        for (const MetricEstimate &e : m_view.estimates.front())
            m_metric->addItem(QString::fromStdString(e.metric));
    const int keep = m_metric->findText(metric);
    m_metric->setCurrentIndex(keep >= 0 ? keep : 0);
}

void EvaluatePane::fillComparison()
{
    m_comparison->setRowCount(0);
    for (std::size_t i = 0; i < m_view.comparisons.size(); ++i) {
        const RunComparison &c = m_view.comparisons[i];
        QStringList changes;
        for (const std::string &line : c.changes)
            changes << QString::fromStdString(line);
        const QString changeText = c.candidateId == c.baselineId ? tr("(baseline)")
                                   : changes.isEmpty()            ? tr("same config")
                                                                  : changes.join(QStringLiteral("; "));
        if (!m_view.notComparable[i].empty()) {
            const int row = m_comparison->rowCount();
            m_comparison->insertRow(row);
            m_comparison->setItem(row, 0, cell(runLabel(i), QVariant::fromValue<qlonglong>(c.candidateId)));
            m_comparison->setItem(row, 1, cell(tr("not comparable with the baseline: %1")
                                                   .arg(QString::fromStdString(m_view.notComparable[i]))));
            m_comparison->setItem(row, kVerdictColumn, cell(tr("not comparable")));
            continue;
        }
        for (const MetricDelta &d : c.metrics) {
            const PairedTestResult &t = d.comparison.test;
            const int row = m_comparison->rowCount();
            m_comparison->insertRow(row);
            m_comparison->setItem(row, 0, cell(runLabel(i), QVariant::fromValue<qlonglong>(c.candidateId)));
            m_comparison->setItem(row, 1, cell(changeText));
            m_comparison->setItem(row, 2, cell(QString::fromStdString(d.comparison.metric)));
            m_comparison->setItem(row, 3, cell(num(t.meanA)));
            m_comparison->setItem(row, 4, cell(num(t.meanB)));
            m_comparison->setItem(row, kDeltaColumn, cell(QString::asprintf("%+.4f", t.delta), t.delta));
            m_comparison->setItem(row, 6, cell(QStringLiteral("[%1, %2]").arg(num(t.ciLow), num(t.ciHigh))));
            m_comparison->setItem(row, 7, cell(QString::number(t.pValue, 'g', 3) + (t.exactP ? tr(" (exact)") : QString())));
            // The engine's label (MetricDelta::label) in the user's language.
            QTableWidgetItem *verdict = cell(t.significant ? tr("significant") : tr("within noise"));
            verdict->setData(Qt::UserRole, QString::fromLatin1(verdictName(d.verdict)));
            if (t.significant)
                verdict->setForeground(t.delta > 0 ? QColor(0x2ca02c) : QColor(0xd62728));
            m_comparison->setItem(row, kVerdictColumn, verdict);
            m_comparison->setItem(row, 9, cell(t.queriesForPower ? QString::number(*t.queriesForPower) : tr("—")));
        }
    }
    m_comparison->resizeColumnsToContents();
}

void EvaluatePane::fillJudged()
{
    std::vector<JudgedRunView> runs;
    for (std::size_t i = 0; i < m_view.runs.size() && i < m_view.judged.size(); ++i)
        if (m_view.judged[i].is_object())
            runs.push_back(JudgedRunView{m_view.runs[i].id, runLabel(i), m_view.judged[i]});
    const bool any = !runs.empty();
    m_judged->setRuns(std::move(runs));
    // Retrieval-only projects look as before: the tab appears only with a judged run.
    const int tab = m_tabs->indexOf(m_judgedTab);
    if (any && tab < 0)
        m_tabs->addTab(m_judgedTab, tr("Judged answers"));
    else if (!any && tab >= 0)
        m_tabs->removeTab(tab);
}

void EvaluatePane::showDrillDown()
{
    if (!m_session.isOpen() || m_runA->count() == 0 || m_metric->currentText().isEmpty())
        return;
    const std::int64_t a = m_runA->currentData().toLongLong(), b = m_runB->currentData().toLongLong();
    const std::string metric = m_metric->currentText().toStdString();
    const int k = m_k->value();
    const Workbench wb = m_session.workbench();
    m_session.runner().start<std::vector<QueryDrillDown>>(
        tr("Per-query drill-down").toStdString(),
        [wb, a, b, metric, k](const JobContext &) { return wb.drillDown(a, b, metric, k); }, this,
        [this](Result<std::vector<QueryDrillDown>> result) {
            if (!result) {
                m_status->setText(tr("Drill-down failed: %1").arg(QString::fromStdString(result.error().message())));
                return;
            }
            m_queries = std::move(*result);
            m_drill->setRowCount(0);
            for (const QueryDrillDown &q : m_queries) {
                const int row = m_drill->rowCount();
                m_drill->insertRow(row);
                const QString text = QString::fromStdString(q.queryText);
                m_drill->setItem(row, 0, cell(QStringLiteral("%1: %2").arg(QString::fromStdString(q.queryId), text), text));
                m_drill->setItem(row, 1, cell(QString::asprintf("%+.4f", q.delta), q.delta));
                m_drill->setItem(row, 2, cell(num(q.valueA)));
                m_drill->setItem(row, 3, cell(num(q.valueB)));
                QStringList entered, left, moves;
                for (const std::string &d : q.entered)
                    entered << QString::fromStdString(d);
                for (const std::string &d : q.left)
                    left << QString::fromStdString(d);
                for (const RankMove &m : q.moves) {
                    if (m.relevance <= 0)
                        continue;
                    const auto rank = [](const std::optional<int> &r) { return r ? QString::number(*r) : QStringLiteral("–"); };
                    moves << QStringLiteral("%1 %2→%3").arg(QString::fromStdString(m.docId), rank(m.rankA), rank(m.rankB));
                }
                m_drill->setItem(row, 4, cell(entered.join(QStringLiteral(", "))));
                m_drill->setItem(row, 5, cell(left.join(QStringLiteral(", "))));
                m_drill->setItem(row, 6, cell(moves.join(QStringLiteral("; "))));
            }
            m_drill->resizeColumnToContents(1);
            m_drill->resizeColumnToContents(2);
            m_drill->resizeColumnToContents(3);
            Q_EMIT drillDownShown();
        },
        "evaluate-drill");
}

} // namespace rag
