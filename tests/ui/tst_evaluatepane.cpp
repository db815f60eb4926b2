// Offscreen GUI test of the Evaluate pane over a real project with three runs
// on the bundled demo eval set (resources/demo, BEIR format): BM25, dense with
// the lexical embedder, and hybrid. The pane's significance labels, deltas and
// verdicts must be Workbench::compareRuns's for the chosen baseline; the
// self-comparison says "within noise" with delta 0; the drill-down lists every
// query sorted by delta and opens one in the Playground; the sweep marks a best
// point.
#include "core/jobs/jobrunner.h"
#include "core/workbench.h"
#include "ui/evaluatepane.h"
#include "ui/mainwindow.h"
#include "ui/playgroundpane.h"
#include "ui/projectsession.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
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

private:
    void selectBaseline(int index);

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
    QCOMPARE(m_window->evaluatePane()->baselineBox()->count(), 3);
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
        QVERIFY(expected->metrics.size() >= 8);
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

QTEST_MAIN(TestEvaluatePane)
#include "tst_evaluatepane.moc"
