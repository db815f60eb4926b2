// Offscreen GUI test of the Evaluate pane over a real project with three runs
// on the bundled demo eval set (resources/demo, BEIR format): BM25, dense with
// the lexical embedder, and hybrid. The pane's significance labels, deltas and
// verdicts must be Workbench::compareRuns's for the chosen baseline; the
// self-comparison says "within noise" with delta 0; the drill-down lists every
// query sorted by delta and opens one in the Playground; the sweep marks a best
// point. A fourth run is answered extractively and LLM-judged (repeat 2) through the
// engine against the scripted judge of tests/reference/llm_test_server.cjs: the
// Judged answers tab shows exactly the run's stored means with measured/total
// counts, context recall (the demo set has no reference answers) as unmeasured and
// never 0, the judged chart series carry the same means, and the per-query view
// shows each stored answer, its citations, scores, unmeasured reasons and repeats.
#include "core/generate/chatmodelfactory.h"
#include "core/jobs/jobrunner.h"
#include "core/judging/judgedevaluation.h"
#include "core/net/envsecretstore.h"
#include "core/net/httpclient.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"
#include "core/workbench.h"
#include "tests/net/testserver.h"
#include "ui/evaluatepane.h"
#include "ui/judgedview.h"
#include "ui/mainwindow.h"
#include "ui/playgroundpane.h"
#include "ui/projectsession.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTest>
#include <QXYSeries>

#include <cmath>
#include <memory>

using namespace rag;

namespace {

const std::string kDemo = RAG_SOURCE_DIR "/resources/demo";

PipelineConfig pipeline(Lane lane)
{
    ChunkerConfig chunker;
    chunker.strategy = ChunkStrategy::Recursive;
    chunker.size = 800;
    chunker.overlap = 100;
    PipelineConfig p;
    p.lane = lane;
    p.chunkerJson = chunker.canonicalJson();
    if (lane != Lane::Keyword)
        p.embedder = "lexical";
    return p;
}

} // namespace

class TestEvaluatePane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void labelsMatchCompareRuns_data();
    void labelsMatchCompareRuns();
    void drillDownOpensPlayground();
    void sweepMarksBestPoint();
    void judgedColumnsAreStoredMeans();
    void judgedChartSeriesAreStoredMeans();
    void judgedDrillDownShowsAnswers();

private:
    void selectBaseline(int index);
    void addJudgedRun();
    nlohmann::json storedJudged() const;

    test::TestServer m_server;
    std::int64_t m_judgedRunId = 0;
    QTemporaryDir m_dir;
    QString m_path;
    std::vector<std::int64_t> m_runIds;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestEvaluatePane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(QString::fromStdString(kDemo + "/corpus.jsonl")),
             "resources/demo/corpus.jsonl is missing from the source tree");
    m_path = m_dir.filePath(QStringLiteral("eval.ragwb"));
    const Workbench wb(m_path.toStdString());
    QVERIFY(wb.create().has_value());
    const struct {
        Lane lane;
        const char *label;
    } runs[] = {{Lane::Keyword, "bm25"}, {Lane::Dense, "dense-lexical"}, {Lane::Hybrid, "hybrid"}};
    for (const auto &r : runs) {
        BeirEvalSpec spec;
        spec.folder = kDemo;
        spec.split = "test";
        spec.pipeline = pipeline(r.lane);
        spec.label = r.label;
        auto outcome = wb.evaluateBeir(spec, JobContext{});
        QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message().c_str());
        m_runIds.push_back(outcome->runId);
    }
    addJudgedRun();
    if (QTest::currentTestFailed())
        return;

    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_runner = std::make_unique<JobRunner>();
    m_session = std::make_unique<ProjectSession>(*m_runner);
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->showPane(MainWindow::Pane::Evaluate);
    QSignalSpy shown(m_window->evaluatePane(), &EvaluatePane::comparisonShown);
    m_session->open(m_path);
    QVERIFY(shown.wait(60000));
    QCOMPARE(m_window->evaluatePane()->baselineBox()->count(), 4);
}

// The demo set answered extractively and judged twice per metric by the scripted judge.
void TestEvaluatePane::addJudgedRun()
{
    test::clearProxyEnvironment();
    const QString error = m_server.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto tokenizer = BpeTokenizer::load("cl100k_base");
    QVERIFY2(tokenizer.has_value(), "the cl100k_base tokenizer asset is missing: run packaging/setup.sh");
    ChatModelSettings settings;
    settings.baseUrl = m_server.url("/judge/evaluate-pane/v1");
    auto judge = makeChatModel("llamacpp:judge-test", settings, EnvSecretStore(), std::make_shared<HttpClient>());
    QVERIFY2(judge.has_value(), judge ? "" : judge.error().message().c_str());
    auto project = Project::open(m_path.toStdString());
    QVERIFY2(project.has_value(), project ? "" : project.error().message().c_str());
    JudgedEvalSpec spec;
    spec.evalSet = "demo";
    spec.split = "test";
    spec.pipeline = pipeline(Lane::Keyword);
    spec.contextChunks = 3;
    spec.judge.repeats = 2;
    spec.label = "judged";
    auto outcome = runJudgedEvaluation(**project, spec, nullptr, **judge, **tokenizer, JobContext{});
    QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message().c_str());
    QVERIFY(outcome->summary(JudgeMetric::Faithfulness).scores.measured > 0);
    QCOMPARE(outcome->summary(JudgeMetric::ContextRecall).scores.measured, std::size_t(0));
    m_judgedRunId = outcome->runId;
    m_runIds.push_back(outcome->runId);
}

nlohmann::json TestEvaluatePane::storedJudged() const
{
    auto run = Workbench(m_path.toStdString()).run(m_judgedRunId);
    if (!run)
        return {};
    auto judged = judgedSectionOfReport(run->reportJson);
    return judged ? *judged : nlohmann::json();
}

void TestEvaluatePane::cleanupTestCase()
{
    m_window.reset();
    if (m_runner) {
        m_runner->cancelAll();
        m_runner->waitForAll();
    }
    m_session.reset();
    m_runner.reset();
}

void TestEvaluatePane::selectBaseline(int index)
{
    EvaluatePane *pane = m_window->evaluatePane();
    QSignalSpy shown(pane, &EvaluatePane::comparisonShown);
    pane->baselineBox()->setCurrentIndex(index);
    Q_EMIT pane->baselineBox()->activated(index);
    QVERIFY(shown.wait(60000));
    QCOMPARE(pane->baselineBox()->currentData().toLongLong(), m_runIds[std::size_t(index)]);
}

void TestEvaluatePane::labelsMatchCompareRuns_data()
{
    QTest::addColumn<int>("baseline");
    QTest::newRow("bm25 baseline") << 0;
    QTest::newRow("dense-lexical baseline") << 1;
    QTest::newRow("hybrid baseline") << 2;
}

void TestEvaluatePane::labelsMatchCompareRuns()
{
    QFETCH(int, baseline);
    selectBaseline(baseline);
    if (QTest::currentTestFailed())
        return;
    const std::int64_t baselineId = m_runIds[std::size_t(baseline)];
    const Workbench wb(m_path.toStdString());
    QTableWidget *table = m_window->evaluatePane()->comparisonTable();
    int row = 0, selfRows = 0;
    for (std::int64_t runId : m_runIds) {
        auto expected = wb.compareRuns(baselineId, runId);
        QVERIFY(expected.has_value());
        QVERIFY(expected->metrics.size() >= (runId == m_judgedRunId ? 3u : 8u));
        for (const MetricDelta &d : expected->metrics) {
            QVERIFY2(row < table->rowCount(), "the comparison table has too few rows");
            QCOMPARE(table->item(row, EvaluatePane::kRunColumn)->data(Qt::UserRole).toLongLong(), runId);
            QCOMPARE(table->item(row, EvaluatePane::kMetricColumn)->text(), QString::fromStdString(d.comparison.metric));
            const QTableWidgetItem *verdict = table->item(row, EvaluatePane::kVerdictColumn);
            QCOMPARE(verdict->text(), QString::fromStdString(d.label()));
            QCOMPARE(verdict->data(Qt::UserRole).toString(), QString::fromLatin1(verdictName(d.verdict)));
            const double shownDelta = table->item(row, EvaluatePane::kDeltaColumn)->data(Qt::UserRole).toDouble();
            QCOMPARE(shownDelta, d.comparison.test.delta);
            if (runId == baselineId) {
                ++selfRows;
                QCOMPARE(verdict->text(), QStringLiteral("within noise"));
                QCOMPARE(shownDelta, 0.0);
                QCOMPARE(table->item(row, EvaluatePane::kDeltaColumn)->text(), QStringLiteral("+0.0000"));
            }
            ++row;
        }
    }
    QCOMPARE(row, table->rowCount());
    QVERIFY(selfRows >= 8);
}

void TestEvaluatePane::drillDownOpensPlayground()
{
    EvaluatePane *pane = m_window->evaluatePane();
    QSignalSpy drilled(pane, &EvaluatePane::drillDownShown);
    pane->runABox()->setCurrentIndex(0);
    pane->runBBox()->setCurrentIndex(1);
    pane->metricBox()->setCurrentIndex(pane->metricBox()->findText(QStringLiteral("ndcg@10")));
    QVERIFY(pane->metricBox()->currentIndex() >= 0);
    pane->showDrillDown();
    QVERIFY(drilled.wait(60000));
    const Workbench wb(m_path.toStdString());
    auto expected = wb.drillDown(m_runIds[0], m_runIds[1], "ndcg@10", 10);
    QVERIFY(expected.has_value());
    QTableWidget *table = pane->drillDownTable();
    QCOMPARE(table->rowCount(), int(expected->size()));
    QCOMPARE(table->rowCount(), 29);  // every query of resources/demo/queries.jsonl has judgments
    for (int row = 0; row < table->rowCount(); ++row) {
        const QueryDrillDown &q = (*expected)[std::size_t(row)];
        QCOMPARE(table->item(row, 1)->data(Qt::UserRole).toDouble(), q.delta);
        if (row > 0)
            QVERIFY(table->item(row - 1, 1)->data(Qt::UserRole).toDouble() <= q.delta);
        QCOMPARE(table->item(row, 0)->data(Qt::UserRole).toString(), QString::fromStdString(q.queryText));
    }
    PlaygroundPane *playground = m_window->playgroundPane();
    const int before = playground->queryCount();
    QSignalSpy results(playground, &PlaygroundPane::resultsShown);
    Q_EMIT table->cellDoubleClicked(0, 0);
    QCOMPARE(playground->queryEdit()->text(), QString::fromStdString(expected->front().queryText));
    QTRY_VERIFY_WITH_TIMEOUT(playground->queryCount() > before, 60000);
}

void TestEvaluatePane::sweepMarksBestPoint()
{
    EvaluatePane *pane = m_window->evaluatePane();
    QSignalSpy swept(pane, &EvaluatePane::sweepShown);
    pane->showSweep();
    QVERIFY(swept.wait(60000));
    const Workbench wb(m_path.toStdString());
    auto expected = wb.sweepSeries(m_runIds, "chunker.size", pane->metricBox()->currentText().toStdString());
    QVERIFY(expected.has_value());
    QVERIFY(expected->best.has_value());
    QChart *chart = pane->sweepChart()->chart();
    QVERIFY(chart);
    QAbstractSeries *best = nullptr;
    for (QAbstractSeries *s : chart->series())
        if (s->name() == QStringLiteral("best"))
            best = s;
    QVERIFY2(best, "the sweep chart has no best-point series");
    const auto *scatter = qobject_cast<QXYSeries *>(best);
    QCOMPARE(scatter->count(), 1);
    QCOMPARE(scatter->at(0).y(), expected->points[*expected->best].estimate.mean);
}

void TestEvaluatePane::judgedColumnsAreStoredMeans()
{
    EvaluatePane *pane = m_window->evaluatePane();
    const nlohmann::json judged = storedJudged();
    QVERIFY2(judged.is_object(), "the judged run has no judged section");
    auto run = Workbench(m_path.toStdString()).run(m_judgedRunId);
    QVERIFY(run.has_value());
    const auto runMetrics = nlohmann::json::parse(run->metricsJson);
    auto *tabs = pane->findChild<QTabWidget *>(QStringLiteral("evaluateTabs"));
    QVERIFY(tabs);
    QVERIFY2(tabs->indexOf(pane->judgedView()) >= 0, "no Judged answers tab for a project with a judged run");
    QTableWidget *table = pane->judgedView()->summaryTable();
    QCOMPARE(table->rowCount(), 1);  // only the judged run; retrieval-only runs are not listed
    QCOMPARE(table->item(0, 0)->data(Qt::UserRole).toLongLong(), m_judgedRunId);
    int column = JudgedView::kFirstMetricColumn, unmeasuredShown = 0;
    for (JudgeMetric metric : kJudgeMetrics) {
        const std::string name = judgeMetricName(metric);
        QCOMPARE(table->horizontalHeaderItem(column)->text(), QString::fromStdString(name));
        const nlohmann::json &summary = judged["metrics"][name];
        const int measured = summary["measured"].get<int>();
        const int total = measured + summary["unmeasured"].get<int>();
        QCOMPARE(total, 29);
        const QTableWidgetItem *item = table->item(0, column);
        if (measured == 0) {
            // Unmeasured: no value behind the cell, no mean in the run's metrics, never "0".
            QCOMPARE(item->text(), QStringLiteral("unmeasured (0/29)"));
            QVERIFY(!item->data(Qt::UserRole).isValid());
            QVERIFY(!runMetrics.contains(name));
            ++unmeasuredShown;
        } else {
            const double mean = summary["mean"].get<double>();
            QCOMPARE(item->data(Qt::UserRole).toDouble(), mean);
            QCOMPARE(runMetrics.at(name).get<double>(), mean);
            QCOMPARE(item->text(), QStringLiteral("%1 (%2/%3)").arg(QString::number(mean, 'f', 4)).arg(measured).arg(total));
            QVERIFY2(item->toolTip().contains(QStringLiteral("repeat agreement over %1 queries").arg(measured)),
                     qPrintable(item->toolTip()));
        }
        ++column;
    }
    QCOMPARE(unmeasuredShown, 1);  // context_recall: the demo set has no reference answers
}

void TestEvaluatePane::judgedChartSeriesAreStoredMeans()
{
    EvaluatePane *pane = m_window->evaluatePane();
    const nlohmann::json judged = storedJudged();
    QChart *chart = pane->metricChart()->chart();
    QVERIFY(chart);
    const int judgedIndex = pane->baselineBox()->findData(QVariant::fromValue<qlonglong>(m_judgedRunId));
    QVERIFY(judgedIndex >= 0);
    for (JudgeMetric metric : kJudgeMetrics) {
        const std::string name = judgeMetricName(metric);
        const QString seriesName = QStringLiteral("%1 (judged)").arg(QString::fromStdString(name));
        QXYSeries *series = nullptr;
        for (QAbstractSeries *s : chart->series())
            if (s->name() == seriesName)
                series = qobject_cast<QXYSeries *>(s);
        const nlohmann::json &summary = judged["metrics"][name];
        if (summary["measured"].get<int>() == 0) {
            QVERIFY2(!series, "an unmeasured judged metric must not be plotted");
            continue;
        }
        QVERIFY2(series, qPrintable(seriesName));
        QCOMPARE(series->count(), 1);  // retrieval-only runs have no judged point
        QCOMPARE(series->at(0).y(), summary["mean"].get<double>());
        QVERIFY(std::abs(series->at(0).x() - judgedIndex) < 0.5);
    }
}

void TestEvaluatePane::judgedDrillDownShowsAnswers()
{
    JudgedView *view = m_window->evaluatePane()->judgedView();
    const nlohmann::json judged = storedJudged();
    QCOMPARE(view->runBox()->currentData().toLongLong(), m_judgedRunId);
    QTableWidget *table = view->queryTable();
    const nlohmann::json &queries = judged["queries"];
    QCOMPARE(table->rowCount(), int(queries.size()));
    QCOMPARE(table->rowCount(), 29);
    const int recallColumn = JudgedView::kFirstQueryMetricColumn + 3;
    QCOMPARE(table->horizontalHeaderItem(recallColumn)->text(), QStringLiteral("context_recall"));
    int unmeasuredFaithfulness = 0;
    for (int row = 0; row < table->rowCount(); ++row) {
        const nlohmann::json &q = queries[std::size_t(row)];
        QCOMPARE(table->item(row, 0)->data(Qt::UserRole).toString(), QString::fromStdString(q["query_id"].get<std::string>()));
        QCOMPARE(table->item(row, 1)->text(), QString::fromStdString(q["answer"].get<std::string>()).simplified());
        QCOMPARE(table->item(row, recallColumn)->text(), QStringLiteral("unmeasured: the query has no reference answer"));
        QVERIFY(!table->item(row, recallColumn)->data(Qt::UserRole).isValid());
        const nlohmann::json &faith = q["metrics"]["faithfulness"];
        const QTableWidgetItem *faithCell = table->item(row, JudgedView::kFirstQueryMetricColumn);
        if (faith["score"].is_number()) {
            QCOMPARE(faithCell->data(Qt::UserRole).toDouble(), faith["score"].get<double>());
        } else {
            QCOMPARE(faithCell->text(), QStringLiteral("unmeasured: %1").arg(QString::fromStdString(faith["unmeasured"].get<std::string>())));
            ++unmeasuredFaithfulness;
        }
        for (const auto &n : q["cited"])
            QVERIFY2(table->item(row, 2)->text().contains(QStringLiteral("[%1]").arg(n.get<int>())), qPrintable(table->item(row, 2)->text()));
    }
    QCOMPARE(unmeasuredFaithfulness, judged["metrics"]["faithfulness"]["unmeasured"].get<int>());

    // The detail of the second query: its answer, every metric and the repeats.
    QSignalSpy shown(view, &JudgedView::queryShown);
    table->setCurrentCell(1, 0);
    QCOMPARE(shown.count(), 1);
    const QString detail = view->detailView()->toPlainText();
    QVERIFY2(detail.contains(QString::fromStdString(queries[1]["answer"].get<std::string>()).simplified().left(40)), qPrintable(detail));
    QVERIFY(detail.contains(QStringLiteral("unmeasured — the query has no reference answer")));
    QVERIFY2(detail.contains(QStringLiteral("repeats: ")), qPrintable(detail));
    for (JudgeMetric metric : kJudgeMetrics)
        QVERIFY(detail.contains(QString::fromLatin1(judgeMetricName(metric))));

    // For resources/screenshots: RAGWB_SCREENSHOT_DIR=DIR saves the window with this tab shown.
    const QString shots = qEnvironmentVariable("RAGWB_SCREENSHOT_DIR");
    if (!shots.isEmpty()) {
        auto *tabs = m_window->evaluatePane()->findChild<QTabWidget *>(QStringLiteral("evaluateTabs"));
        tabs->setCurrentWidget(view);
        for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
            dock->hide();  // the pane alone, at a useful height
        m_window->resize(1500, 1250);
        QTest::qWait(200);
        const QString file = shots + QStringLiteral("/evaluate-judged.png");
        QVERIFY2(m_window->grab().save(file), qPrintable(file));
    }
}

QTEST_MAIN(TestEvaluatePane)
#include "tst_evaluatepane.moc"
