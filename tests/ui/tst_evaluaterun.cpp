// Offscreen GUI test of the Evaluate pane's "New run…": a real project (the demo
// guide ingested, chunk set "guide" with BM25 and a lexical flat index, chunk set
// "small" with BM25 only) and a QA set with reference answers built from the demo
// eval set, imported through the dialog on a job. The dialog's widgets are driven
// (eval set, lane, chunk set, index, fusion, label, transform, judging) and Start is
// clicked; each recorded run must carry exactly the metrics evaluateStored computes
// for the same spec called directly (to 1e-12), the same config hash, the label, and
// be Run B of the drill-down. A multi-query run against the scripted chat server
// records its transform; a judged run records the judged means runJudgedEvaluation
// computes; a provider failure shows the engine's error in the status line; a run
// cancelled mid-query records nothing; disabled states carry the reason as tooltip.
#include "core/chunking/chunkerconfig.h"
#include "core/generate/chatmodelfactory.h"
#include "core/generate/querytransform.h"
#include "core/jobs/jobrunner.h"
#include "core/judging/judgedevaluation.h"
#include "core/net/envsecretstore.h"
#include "core/net/httpclient.h"
#include "core/pipeline/evalsetimport.h"
#include "core/store/project.h"
#include "core/tokenize/bpetokenizer.h"
#include "core/workbench.h"
#include "models/joblistmodel.h"
#include "tests/net/testserver.h"
#include "ui/evalrundialog.h"
#include "ui/evaluatepane.h"
#include "ui/jobdock.h"
#include "ui/mainwindow.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QAction>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <memory>

using namespace rag;

namespace {

const QString kDemo = QStringLiteral(RAG_SOURCE_DIR "/resources/demo");
constexpr int kQaQueries = 8;
constexpr double kTolerance = 1e-12;
constexpr int kHnswM = 8, kHnswEfConstruction = 40, kHnswEfSearch = 24;

ChunkerConfig guideChunker()
{
    ChunkerConfig c;
    c.strategy = ChunkStrategy::Recursive;
    c.size = 800;
    c.overlap = 100;
    return c;
}

ChunkerConfig smallChunker()
{
    ChunkerConfig c;
    c.strategy = ChunkStrategy::Fixed;
    c.size = 300;
    c.overlap = 0;
    return c;
}

std::vector<nlohmann::json> readJsonl(const QString &path)
{
    std::vector<nlohmann::json> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            rows.push_back(nlohmann::json::parse(line.toStdString()));
    return rows;
}

// The first kQaQueries demo queries with their qrels, each answered by the first
// sentence of its first relevant document: a QA set with reference answers.
bool writeQaSet(const QString &path)
{
    std::map<std::string, std::string> docText;
    for (const nlohmann::json &d : readJsonl(kDemo + QStringLiteral("/corpus.jsonl")))
        docText[d["_id"].get<std::string>()] = d["text"].get<std::string>();
    std::map<std::string, std::vector<std::string>> qrels;
    QFile q(kDemo + QStringLiteral("/qrels/test.tsv"));
    if (!q.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : q.readAll().split('\n')) {
        const QList<QByteArray> cols = line.trimmed().split('\t');
        if (cols.size() == 3 && cols[0] != "query-id" && cols[2].toInt() > 0)
            qrels[cols[0].toStdString()].push_back(cols[1].toStdString());
    }
    std::string out;
    int n = 0;
    for (const nlohmann::json &query : readJsonl(kDemo + QStringLiteral("/queries.jsonl"))) {
        const std::string id = query["_id"].get<std::string>();
        if (n == kQaQueries || !qrels.count(id))
            continue;
        const std::string &text = docText[qrels[id].front()];
        const std::string answer = text.substr(0, text.find(". ") + 1);
        out += nlohmann::json{{"id", id}, {"question", query["text"]}, {"relevant_doc_ids", qrels[id]}, {"answer", answer}}
                   .dump() + "\n";
        ++n;
    }
    QFile f(path);
    return n == kQaQueries && f.open(QIODevice::WriteOnly) && f.write(out.data(), qint64(out.size())) == qint64(out.size());
}

ModelSettings chatSettings(const QString &model, const std::string &baseUrl)
{
    ModelSettings s;
    s.chatModel = model;
    s.chatBaseUrl = QString::fromStdString(baseUrl);
    return s;
}

ChatModelSettings chatAt(const std::string &url)
{
    ChatModelSettings s;
    s.baseUrl = url;
    return s;
}

bool selectData(QComboBox *box, const QVariant &data)
{
    const int i = box->findData(data);
    if (i >= 0)
        box->setCurrentIndex(i);
    return i >= 0;
}

QString itemToolTip(QComboBox *box, int row)
{
    return box->itemData(row, Qt::ToolTipRole).toString();
}

bool itemEnabled(QComboBox *box, int row)
{
    const auto *model = qobject_cast<QStandardItemModel *>(box->model());
    return model && model->item(row)->isEnabled();
}

std::map<std::string, double> storedMetrics(const std::string &project, std::int64_t runId)
{
    std::map<std::string, double> out;
    auto run = Workbench(project).run(runId);
    if (!run) {
        qWarning("run %lld: %s", (long long)runId, run.error().message().c_str());
        return out;
    }
    const auto metrics = nlohmann::json::parse(run->metricsJson, nullptr, false);
    if (!metrics.is_object())
        qWarning("run %lld: metrics_json is not an object: %s", (long long)runId, run->metricsJson.c_str());
    else
        for (auto it = metrics.begin(); it != metrics.end(); ++it)
            out[it.key()] = it.value().get<double>();
    return out;
}

// The Jobs dock's row for a job title, if it lists one.
const JobInfo *dockJob(JobDock *dock, const std::string &title)
{
    for (int row = 0; row < dock->model()->rowCount(); ++row)
        if (const JobInfo *job = dock->model()->job(row); job && job->title == title)
            return job;
    return nullptr;
}

} // namespace

class TestEvaluateRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void noEvalSetBlocksStart();
    void importQaSetThroughDialog();
    void importErrorNamesFileAndLine();
    void importBeirFolder();
    void disabledStatesSayWhy_data();
    void disabledStatesSayWhy();
    void runMatchesEvaluateStored_data();
    void runMatchesEvaluateStored();
    void transformRunRecordsTransform();
    void judgedRunRecordsJudgedMeans();
    void providerFailureShowsEngineError();
    void cancelledRunRecordsNothing();
    void fullFormBuildsTheRequest();

private:
    EvalRunDialog *openDialog();
    void setForm(const QString &chunkSet, Lane lane, const QString &label);
    std::int64_t startAndWait(bool drillDown = true);
    std::size_t runCount() const;
    PipelineConfig guidePipeline(Lane lane, const std::string &index = "flat") const;
    void saveScreenshot();

    test::TestServer m_server;
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    EvaluatePane *m_pane = nullptr;
    QStringList m_progressTexts;
};

void TestEvaluateRun::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    test::clearProxyEnvironment();
    const QString error = m_server.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(QFile::exists(kDemo + QStringLiteral("/corpus.jsonl")), "resources/demo/corpus.jsonl is missing from the source tree");
    QVERIFY2(BpeTokenizer::load("cl100k_base").has_value(), "the cl100k_base tokenizer asset is missing: run packaging/setup.sh");
    QVERIFY(writeQaSet(m_dir.filePath(QStringLiteral("demo-qa.jsonl"))));

    m_path = m_dir.filePath(QStringLiteral("run.ragwb"));
    const Workbench wb(m_path.toStdString());
    QVERIFY(wb.create().has_value());
    auto ingested = wb.ingest({(kDemo + QStringLiteral("/corpus.jsonl")).toStdString()}, LoadOptions{}, JobContext{});
    QVERIFY2(ingested.has_value(), ingested ? "" : ingested.error().message().c_str());
    QVERIFY(wb.chunk("guide", guideChunker(), JobContext{}).has_value());
    QVERIFY(wb.chunk("small", smallChunker(), JobContext{}).has_value());
    const struct {
        const char *chunkSet, *kind, *embedder;
    } indexes[] = {{"guide", "bm25", ""}, {"guide", "flat", "lexical"}, {"guide", "hnsw", "lexical"}, {"small", "bm25", ""}};
    for (const auto &i : indexes) {
        IndexBuildSpec spec;
        spec.chunkSet = i.chunkSet;
        spec.kind = i.kind;
        spec.embedder = i.embedder;
        spec.M = kHnswM;  // not the defaults: the form must take them from the index
        spec.efConstruction = kHnswEfConstruction;
        spec.efSearch = kHnswEfSearch;
        auto built = wb.buildIndex(spec, JobContext{});
        QVERIFY2(built.has_value(), built ? "" : built.error().message().c_str());
    }

    m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    m_runner = std::make_unique<JobRunner>();
    m_session = std::make_unique<ProjectSession>(*m_runner);
    m_window = std::make_unique<MainWindow>(*m_session, *m_settings);
    m_pane = m_window->evaluatePane();
    m_pane->setSecretStore(std::make_shared<EnvSecretStore>());
    m_pane->setModelSettings(chatSettings(QStringLiteral("extractive"), {}));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->showPane(MainWindow::Pane::Evaluate);
    QSignalSpy state(m_session.get(), &ProjectSession::stateChanged);
    m_session->open(m_path);
    QVERIFY(state.wait(60000));
    QCOMPARE(m_session->state()->snapshot.chunkSets.size(), std::size_t(2));
}

void TestEvaluateRun::cleanupTestCase()
{
    m_window.reset();
    if (m_runner) {
        m_runner->cancelAll();
        m_runner->waitForAll();
    }
    m_session.reset();
    m_runner.reset();
}

EvalRunDialog *TestEvaluateRun::openDialog()
{
    m_pane->openNewRunDialog();
    EvalRunDialog *dialog = m_pane->runDialog();
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        qWarning("the run dialog was not exposed");
    return dialog;
}

PipelineConfig TestEvaluateRun::guidePipeline(Lane lane, const std::string &index) const
{
    PipelineConfig p;
    p.lane = lane;
    p.chunkerJson = guideChunker().canonicalJson();
    if (lane != Lane::Keyword) {
        p.embedder = "lexical";
        p.vectorIndex = index;
        if (index == "hnsw") {
            p.hnswM = kHnswM;
            p.hnswEfConstruction = kHnswEfConstruction;
            p.hnswEfSearch = kHnswEfSearch;
        }
    }
    return p;
}

void TestEvaluateRun::setForm(const QString &chunkSet, Lane lane, const QString &label)
{
    EvalRunDialog *d = m_pane->runDialog();
    QVERIFY(selectData(d->evalSetBox(), QStringList{QStringLiteral("demo-qa"), QString()}));
    QVERIFY(selectData(d->chunkSetBox(), chunkSet));
    QVERIFY(selectData(d->laneBox(), int(lane)));
    d->transformBox()->setCurrentIndex(0);
    d->judgeGroup()->setChecked(false);
    d->labelEdit()->setText(label);
}

std::size_t TestEvaluateRun::runCount() const
{
    auto runs = Workbench(m_path.toStdString()).runs();
    return runs ? runs->size() : std::size_t(-1);
}

// Clicks Start, waits for the run and for the pane to show it as Run B (and, with
// `drillDown`, to compare its queries with Run A).
std::int64_t TestEvaluateRun::startAndWait(bool drillDown)
{
    EvalRunDialog *d = m_pane->runDialog();
    if (!d->startButton()->isEnabled()) {
        qWarning("Start is disabled: %s", qPrintable(d->startButton()->toolTip()));
        return 0;
    }
    QSignalSpy recorded(m_pane, &EvaluatePane::runRecorded);
    QSignalSpy failed(m_pane, &EvaluatePane::runFailed);
    QSignalSpy drilled(m_pane, &EvaluatePane::drillDownShown);
    // What the pane's progress bar said after each progress report of the run.
    m_progressTexts.clear();
    const auto watch = connect(m_runner.get(), &JobRunner::jobChanged, this, [this] {
        if (m_pane->isRunning())
            m_progressTexts << m_pane->runProgress()->format();
    });
    const auto unwatch = qScopeGuard([watch] { QObject::disconnect(watch); });
    QTest::mouseClick(d->startButton(), Qt::LeftButton);
    if (d->isVisible() || !m_pane->isRunning())
        return 0;
    if (!recorded.wait(120000)) {
        qWarning("no run recorded: %s", failed.isEmpty() ? "timeout" : qPrintable(failed.front().front().toString()));
        return 0;
    }
    const qint64 runId = recorded.front().front().toLongLong();
    // The pane reloads, selects the run as Run B, then compares the queries.
    if (!QTest::qWaitFor([&] { return m_pane->runBBox()->currentData().toLongLong() == runId; }, 60000)
        || (drillDown && !QTest::qWaitFor([&] { return !drilled.isEmpty(); }, 60000)))
        return 0;
    return runId;
}

void TestEvaluateRun::noEvalSetBlocksStart()
{
    // Run ▸ New evaluation run… opens the form over the Evaluate pane.
    m_window->showPane(MainWindow::Pane::Documents);
    QAction *action = nullptr;
    for (QAction *menu : m_window->menuBar()->actions())
        if (menu->menu() && menu->text() == QStringLiteral("&Run"))
            for (QAction *a : menu->menu()->actions())
                if (a->text() == QStringLiteral("New &evaluation run…"))
                    action = a;
    QVERIFY2(action, "the Run menu has no New evaluation run… action");
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    action->trigger();
    EvalRunDialog *d = m_pane->runDialog();
    QVERIFY(d);
    QTRY_VERIFY(d->isVisible());
    QVERIFY(m_pane->isVisible());
    QCOMPARE(d->evalSetBox()->count(), 0);
    QVERIFY(!d->startButton()->isEnabled());
    QCOMPARE(d->startButton()->toolTip(), QStringLiteral("Import an eval set first (Import QA file… or Import BEIR folder…)"));
    QVERIFY(!d->request().has_value());
}

void TestEvaluateRun::importQaSetThroughDialog()
{
    EvalRunDialog *d = m_pane->runDialog();
    QSignalSpy imported(d, &EvalRunDialog::evalSetImported);
    d->importEvalSet(m_dir.filePath(QStringLiteral("demo-qa.jsonl")), false);
    QVERIFY(imported.wait(60000));
    QCOMPARE(imported.front().front().toString(), QStringLiteral("demo-qa"));
    QCOMPARE(d->evalSetBox()->currentData().toStringList(), (QStringList{QStringLiteral("demo-qa"), QString()}));
    QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("%1 queries").arg(kQaQueries)), qPrintable(d->statusLabel()->text()));
    QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("%1 reference answers").arg(kQaQueries)),
             qPrintable(d->statusLabel()->text()));
    auto project = Project::openExisting(m_path.toStdString());
    QVERIFY(project.has_value());
    auto stored = findEvalSet(**project, "demo-qa");
    QVERIFY(stored.has_value());
    QCOMPARE(stored->queries.size(), std::size_t(kQaQueries));
    QCOMPARE(stored->referenceAnswers.size(), std::size_t(kQaQueries));
    QVERIFY(d->startButton()->isEnabled());
}

void TestEvaluateRun::importErrorNamesFileAndLine()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"id\": \"a\", \"question\": \"fine\", \"relevant_doc_ids\": [\"x\"]}\n{\"id\": \"b\", \"relevant_doc_ids\": [\"x\"]}\n");
    f.close();
    EvalRunDialog *d = m_pane->runDialog();
    QSignalSpy failed(d, &EvalRunDialog::importFailed);
    d->importEvalSet(bad, false);
    QVERIFY(failed.wait(60000));
    const QString message = failed.front().front().toString();
    QVERIFY2(message.contains(QStringLiteral("bad.jsonl:2")), qPrintable(message));
    QCOMPARE(d->statusLabel()->text(), QStringLiteral("Import failed: %1").arg(message));
}

void TestEvaluateRun::importBeirFolder()
{
    EvalRunDialog *d = m_pane->runDialog();
    QSignalSpy imported(d, &EvalRunDialog::evalSetImported);
    d->importEvalSet(kDemo, true, QStringLiteral("test"));
    QVERIFY(imported.wait(60000));
    QCOMPARE(d->evalSetBox()->currentData().toStringList(), (QStringList{QStringLiteral("demo"), QStringLiteral("test")}));
    QVERIFY(d->evalSetBox()->findData(QStringList{QStringLiteral("demo-qa"), QString()}) >= 0);
    QVERIFY2(d->statusLabel()->text().contains(QStringLiteral("29 queries")), qPrintable(d->statusLabel()->text()));
}

void TestEvaluateRun::disabledStatesSayWhy_data()
{
    QTest::addColumn<QString>("chunkSet");
    QTest::addColumn<int>("lane");
    QTest::addColumn<int>("transform");
    QTest::addColumn<bool>("judge");
    QTest::addColumn<QString>("chatModel");
    QTest::addColumn<QString>("blocker");
    const QString noIndex = QStringLiteral("Build a vector index on chunk set small in the Index pane first");
    const QString noChat = QStringLiteral("Query transforms need a chat model: set one in Settings ▸ Models (the "
                                          "extractive answerer cannot write passages or phrasings)");
    const QString noJudge = QStringLiteral("Judging cannot run: no judge model is configured. Set a chat model in "
                                           "Settings ▸ Models (\"extractive\" can answer offline but cannot judge), "
                                           "or type PROVIDER:MODEL as the judge model.");
    const QString extractive = QStringLiteral("extractive"), chat = QStringLiteral("llamacpp:transform-test");
    QTest::newRow("bm25 on small runs") << "small" << int(Lane::Keyword) << 0 << false << extractive << QString();
    QTest::newRow("dense on small: no index") << "small" << int(Lane::Dense) << 0 << false << extractive << noIndex;
    QTest::newRow("hybrid on small: no index") << "small" << int(Lane::Hybrid) << 0 << false << extractive << noIndex;
    QTest::newRow("dense on guide runs") << "guide" << int(Lane::Dense) << 0 << false << extractive << QString();
    QTest::newRow("multi-query without chat") << "guide" << int(Lane::Keyword) << int(TransformKind::MultiQuery) << false
                                              << extractive << noChat;
    QTest::newRow("hyde on bm25") << "guide" << int(Lane::Keyword) << int(TransformKind::Hyde) << false << chat
                                  << QStringLiteral("HyDE changes only the dense leg's query vector: choose the dense or hybrid lane");
    QTest::newRow("hyde on hybrid runs") << "guide" << int(Lane::Hybrid) << int(TransformKind::Hyde) << false << chat << QString();
    QTest::newRow("judging without judge model") << "guide" << int(Lane::Keyword) << 0 << true << extractive << noJudge;
    QTest::newRow("judging with chat model runs") << "guide" << int(Lane::Keyword) << 0 << true << chat << QString();
}

void TestEvaluateRun::disabledStatesSayWhy()
{
    QFETCH(QString, chunkSet);
    QFETCH(int, lane);
    QFETCH(int, transform);
    QFETCH(bool, judge);
    QFETCH(QString, chatModel);
    QFETCH(QString, blocker);
    m_pane->setModelSettings(chatSettings(chatModel, m_server.url("/transform/disabled/v1")));
    EvalRunDialog *d = openDialog();
    QVERIFY(selectData(d->evalSetBox(), QStringList{QStringLiteral("demo-qa"), QString()}));
    QVERIFY(selectData(d->chunkSetBox(), chunkSet));
    QVERIFY(selectData(d->laneBox(), lane));
    QVERIFY(selectData(d->transformBox(), transform));
    d->judgeGroup()->setChecked(judge);

    const bool hasIndex = chunkSet == QLatin1String("guide");
    QCOMPARE(itemEnabled(d->laneBox(), 1), hasIndex);
    QCOMPARE(itemEnabled(d->laneBox(), 2), hasIndex);
    QCOMPARE(d->denseIndexBox()->count(), hasIndex ? 2 : 0);  // guide:flat:lexical, guide:hnsw:lexical
    if (!hasIndex)
        QCOMPARE(itemToolTip(d->laneBox(), 1), QStringLiteral("Build a vector index on chunk set small in the Index pane first"));
    const bool chat = chatModel != QLatin1String("extractive");
    QCOMPARE(itemEnabled(d->transformBox(), int(TransformKind::MultiQuery)), chat);
    QCOMPARE(itemEnabled(d->transformBox(), int(TransformKind::Hyde)), chat && lane != int(Lane::Keyword));
    QCOMPARE(d->judgeModelEdit()->text(), chat ? chatModel : QString());
    if (judge && !chat)
        QCOMPARE(d->judgeNote()->text(), blocker);
    const bool hybrid = lane == int(Lane::Hybrid);
    QCOMPARE(d->fusionBox()->isEnabled(), hybrid);
    QCOMPARE(d->rrfKBox()->isEnabled(), hybrid);
    QCOMPARE(d->alphaBox()->isEnabled(), false);

    QCOMPARE(d->startButton()->isEnabled(), blocker.isEmpty());
    QCOMPARE(d->blocker(), blocker);
    if (!blocker.isEmpty()) {
        QCOMPARE(d->startButton()->toolTip(), blocker);
        const auto request = d->request();
        QVERIFY(!request.has_value());
        QCOMPARE(QString::fromStdString(request.error().detail), blocker);
    } else {
        QVERIFY(d->request().has_value());
    }
    d->reject();
}

void TestEvaluateRun::runMatchesEvaluateStored_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<QString>("fusion");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("rrfK");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("index");
    QTest::newRow("bm25") << int(Lane::Keyword) << "rrf" << 0.5 << 60 << "gui bm25" << "flat";
    QTest::newRow("dense flat lexical") << int(Lane::Dense) << "rrf" << 0.5 << 60 << "gui dense" << "flat";
    QTest::newRow("dense hnsw lexical M=8") << int(Lane::Dense) << "rrf" << 0.5 << 60 << "gui dense hnsw" << "hnsw";
    QTest::newRow("hybrid rrf k=20") << int(Lane::Hybrid) << "rrf" << 0.5 << 20 << "gui hybrid rrf" << "flat";
    QTest::newRow("hybrid weighted 0.3 hnsw") << int(Lane::Hybrid) << "weighted" << 0.3 << 60 << "" << "hnsw";
}

void TestEvaluateRun::runMatchesEvaluateStored()
{
    QFETCH(int, lane);
    QFETCH(QString, fusion);
    QFETCH(double, alpha);
    QFETCH(int, rrfK);
    QFETCH(QString, label);
    QFETCH(QString, index);
    m_pane->setModelSettings(chatSettings(QStringLiteral("extractive"), {}));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane(lane), label);
    if (lane != int(Lane::Keyword))
        QVERIFY(selectData(d->denseIndexBox(), QStringLiteral("guide:%1:lexical").arg(index)));
    QVERIFY(selectData(d->fusionBox(), fusion));
    d->alphaBox()->setValue(alpha);
    d->rrfKBox()->setValue(rrfK);
    const std::size_t before = runCount();
    const std::int64_t runId = startAndWait();
    QVERIFY2(runId > 0, "the run was not recorded and shown");
    QCOMPARE(runCount(), before + 1);

    // The same spec, built here independently, through the engine directly.
    StoredEvalSpec spec;
    spec.evalSet = "demo-qa";
    spec.pipeline = guidePipeline(Lane(lane), index.toStdString());
    spec.pipeline.fusion = fusion.toStdString();
    spec.pipeline.alpha = alpha;
    spec.pipeline.rrfK = rrfK;
    spec.label = "direct";
    auto project = Project::openExisting(m_path.toStdString());
    QVERIFY(project.has_value());
    auto direct = evaluateStored(**project, spec, JobContext{});
    QVERIFY2(direct.has_value(), direct ? "" : direct.error().message().c_str());
    const auto metrics = storedMetrics(m_path.toStdString(), runId);
    QCOMPARE(metrics.size(), direct->report.metrics.size());
    QVERIFY(metrics.count("ndcg@10") && metrics.count("chunk_ndcg@10"));
    for (const auto &[name, value] : direct->report.metrics) {
        QVERIFY2(metrics.count(name), name.c_str());
        QVERIFY2(std::abs(metrics.at(name) - value) <= kTolerance,
                 qPrintable(QStringLiteral("%1: %2 vs %3").arg(QString::fromStdString(name)).arg(metrics.at(name), 0, 'g', 17).arg(value, 0, 'g', 17)));
    }
    QVERIFY(metrics.at("recall@100") > 0.0);

    auto run = Workbench(m_path.toStdString()).run(runId);
    QVERIFY(run.has_value());
    QCOMPARE(run->configHash, spec.pipeline.hash());
    const QString expectedLabel = label.isEmpty() ? QStringLiteral("hybrid weighted · guide") : label;
    QCOMPARE(QString::fromStdString(run->label), expectedLabel);
    QCOMPARE(m_pane->runBBox()->currentText(), QStringLiteral("#%1 %2").arg(runId).arg(expectedLabel));
    QCOMPARE(m_pane->drillDownTable()->rowCount(), kQaQueries);
    QVERIFY2(m_pane->statusLabel()->text().contains(QStringLiteral("run #%1 “%2” recorded").arg(runId).arg(expectedLabel)), qPrintable(m_pane->statusLabel()->text()));
    QVERIFY(!m_pane->runProgress()->isVisible());
    QVERIFY2(!m_progressTexts.isEmpty() && m_progressTexts.back() == QStringLiteral("querying %1/%1").arg(kQaQueries),
             qPrintable(m_progressTexts.join(QStringLiteral(" | "))));
}

void TestEvaluateRun::transformRunRecordsTransform()
{
    const std::string url = m_server.url("/transform/evalrun/v1");
    m_pane->setModelSettings(chatSettings(QStringLiteral("llamacpp:transform-test"), url));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane::Keyword, QStringLiteral("gui multi-query"));
    QVERIFY(selectData(d->transformBox(), int(TransformKind::MultiQuery)));
    d->variantsBox()->setValue(2);
    const std::int64_t runId = startAndWait();
    QVERIFY2(runId > 0, "the transform run was not recorded and shown");

    auto run = Workbench(m_path.toStdString()).run(runId);
    QVERIFY(run.has_value());
    const auto config = nlohmann::json::parse(run->configJson);
    QVERIFY2(config.contains("transform"), run->configJson.c_str());
    QCOMPARE(config["transform"]["kind"].get<std::string>(), std::string("multi-query"));
    QCOMPARE(config["transform"]["chat"].get<std::string>(), std::string("llamacpp:transform-test"));
    QCOMPARE(config["transform"]["variants"].get<int>(), 2);
    const auto report = nlohmann::json::parse(run->reportJson);
    QCOMPARE(report["config"]["transform_usage"]["expanded_queries"].get<int>(), kQaQueries);
    QCOMPARE(report["config"]["transform_usage"]["model_calls"].get<int>(), kQaQueries);

    // The same transform through the CLI's hook, called directly.
    StoredEvalSpec spec;
    spec.evalSet = "demo-qa";
    spec.pipeline = guidePipeline(Lane::Keyword);
    spec.pipeline.transform.kind = TransformKind::MultiQuery;
    spec.pipeline.transform.chat = "llamacpp:transform-test";
    spec.pipeline.transform.variants = 2;
    auto chat = makeChatModel("llamacpp:transform-test", chatAt(url), EnvSecretStore(),
                              std::make_shared<HttpClient>());
    QVERIFY2(chat.has_value(), chat ? "" : chat.error().message().c_str());
    spec.expandQuery = makeQueryExpander(spec.pipeline.transform, *chat);
    auto project = Project::openExisting(m_path.toStdString());
    QVERIFY(project.has_value());
    auto direct = evaluateStored(**project, spec, JobContext{});
    QVERIFY2(direct.has_value(), direct ? "" : direct.error().message().c_str());
    QCOMPARE(run->configHash, spec.pipeline.hash());
    const auto metrics = storedMetrics(m_path.toStdString(), runId);
    for (const auto &[name, value] : direct->report.metrics)
        QVERIFY2(metrics.count(name) && std::abs(metrics.at(name) - value) <= kTolerance, name.c_str());
}

void TestEvaluateRun::judgedRunRecordsJudgedMeans()
{
    constexpr int kLimit = 4;
    const std::string url = m_server.url("/judge/evalrun/v1");
    m_pane->setModelSettings(chatSettings(QStringLiteral("llamacpp:judge-test"), url));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane::Keyword, QStringLiteral("gui judged"));
    d->judgeGroup()->setChecked(true);
    QVERIFY(selectData(d->answerModelBox(), QStringLiteral("extractive")));
    QCOMPARE(d->judgeModelEdit()->text(), QStringLiteral("llamacpp:judge-test"));
    d->limitBox()->setValue(kLimit);
    d->repeatsBox()->setValue(1);
    QVERIFY2(d->judgeNote()->text().startsWith(QStringLiteral("Answers by extractive (offline), judged by llamacpp:judge-test")),
             qPrintable(d->judgeNote()->text()));
    QSignalSpy compared(m_pane, &EvaluatePane::comparisonShown);
    // Judged on 4 of the 8 queries: no paired drill-down with the 8-query baseline.
    const std::int64_t runId = startAndWait(false);
    QVERIFY2(runId > 0, "the judged run was not recorded and shown");

    auto run = Workbench(m_path.toStdString()).run(runId);
    QVERIFY(run.has_value());
    auto judged = judgedSectionOfReport(run->reportJson);
    QVERIFY2(judged.has_value(), judged ? "" : judged.error().message().c_str());

    JudgedEvalSpec spec;
    spec.evalSet = "demo-qa";
    spec.pipeline = guidePipeline(Lane::Keyword);
    spec.limit = kLimit;
    spec.label = "direct judged";
    auto judge = makeChatModel("llamacpp:judge-test", chatAt(url), EnvSecretStore(),
                               std::make_shared<HttpClient>());
    QVERIFY(judge.has_value());
    auto tokenizer = BpeTokenizer::load("cl100k_base");
    QVERIFY(tokenizer.has_value());
    auto project = Project::openExisting(m_path.toStdString());
    QVERIFY(project.has_value());
    auto direct = runJudgedEvaluation(**project, spec, nullptr, **judge, **tokenizer, JobContext{});
    QVERIFY2(direct.has_value(), direct ? "" : direct.error().message().c_str());
    QCOMPARE(run->configHash, spec.pipeline.hash());
    for (JudgeMetric metric : kJudgeMetrics) {
        const nlohmann::json &summary = (*judged)["metrics"][judgeMetricName(metric)];
        const JudgedMetricSummary &expected = direct->summary(metric);
        QCOMPARE(summary["measured"].get<std::size_t>(), expected.scores.measured);
        QCOMPARE(summary["measured"].get<int>() + summary["unmeasured"].get<int>(), kLimit);
        QVERIFY2(expected.scores.mean.has_value(), judgeMetricName(metric));
        QVERIFY2(std::abs(summary["mean"].get<double>() - *expected.scores.mean) <= kTolerance, judgeMetricName(metric));
    }
    // The set has reference answers, so context recall is measured on every judged query.
    QCOMPARE(direct->summary(JudgeMetric::ContextRecall).scores.measured, std::size_t(kLimit));
    QVERIFY(!m_pane->view().judged.empty() && m_pane->view().judged.back().is_object());
    QCOMPARE(m_pane->view().runs.back().id, runId);
    // The pane still compares the other runs and says why this one is not paired with the baseline.
    QVERIFY(!compared.isEmpty());
    QTableWidget *table = m_pane->comparisonTable();
    const int last = table->rowCount() - 1;
    QCOMPARE(table->item(last, EvaluatePane::kRunColumn)->data(Qt::UserRole).toLongLong(), runId);
    QCOMPARE(table->item(last, EvaluatePane::kVerdictColumn)->text(), QStringLiteral("not comparable"));
    QVERIFY2(table->item(last, 1)->text().contains(QStringLiteral("different queries (8 vs 4)")),
             qPrintable(table->item(last, 1)->text()));
    QVERIFY(table->rowCount() > 16);  // the comparable runs keep their metric rows
}

void TestEvaluateRun::providerFailureShowsEngineError()
{
    m_pane->setModelSettings(chatSettings(QStringLiteral("llamacpp:broken"), m_server.url("/status-400/evalrun/v1")));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane::Keyword, QStringLiteral("gui failing"));
    QVERIFY(selectData(d->transformBox(), int(TransformKind::MultiQuery)));
    const std::size_t before = runCount();
    QSignalSpy failed(m_pane, &EvaluatePane::runFailed);
    QTest::mouseClick(d->startButton(), Qt::LeftButton);
    QVERIFY(failed.wait(120000));
    const QString message = failed.front().front().toString();
    QVERIFY2(message.contains(QStringLiteral("multi-query")) && message.contains(QStringLiteral("broken")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("scripted 400 error")), qPrintable(message));
    QCOMPARE(m_pane->statusLabel()->text(), QStringLiteral("Run failed: %1").arg(message));
    QCOMPARE(runCount(), before);
    QVERIFY(m_pane->newRunButton()->isEnabled());
}

void TestEvaluateRun::cancelledRunRecordsNothing()
{
    m_pane->setModelSettings(chatSettings(QStringLiteral("llamacpp:hanging"), m_server.url("/hang/evalrun/v1")));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane::Keyword, QStringLiteral("gui cancelled"));
    QVERIFY(selectData(d->transformBox(), int(TransformKind::MultiQuery)));
    const std::size_t before = runCount();
    QSignalSpy cancelled(m_pane, &EvaluatePane::runCancelled);
    QTest::mouseClick(d->startButton(), Qt::LeftButton);
    QVERIFY(m_pane->isRunning());
    QVERIFY(m_pane->runProgress()->isVisible());
    QVERIFY(!m_pane->newRunButton()->isEnabled());
    // Mid-run: the pipeline is prepared and the first query's transform is waiting on the model.
    QTRY_VERIFY_WITH_TIMEOUT(m_server.stats("hang", "evalrun").value("requests", 0) >= 1, 60000);
    QVERIFY(m_pane->isRunning());
    const std::string title = "Evaluate gui cancelled on demo-qa";
    QTRY_VERIFY_WITH_TIMEOUT(dockJob(m_window->jobDock(), title), 10000);
    QCOMPARE(dockJob(m_window->jobDock(), title)->state, JobState::Running);
    QTest::mouseClick(m_pane->cancelRunButton(), Qt::LeftButton);
    QVERIFY(cancelled.wait(60000));
    QTRY_COMPARE_WITH_TIMEOUT(dockJob(m_window->jobDock(), title)->state, JobState::Cancelled, 10000);
    QVERIFY2(m_pane->statusLabel()->text().contains(QStringLiteral("cancelled; nothing was recorded")),
             qPrintable(m_pane->statusLabel()->text()));
    QCOMPARE(runCount(), before);
    QVERIFY(!m_pane->runProgress()->isVisible());
}

// Every section filled in: the request carries each choice (and, with
// RAGWB_SCREENSHOT_DIR set, the form is saved for resources/screenshots).
void TestEvaluateRun::fullFormBuildsTheRequest()
{
    const std::string url = m_server.url("/judge/form/v1");
    m_pane->setModelSettings(chatSettings(QStringLiteral("llamacpp:judge-test"), url));
    EvalRunDialog *d = openDialog();
    setForm(QStringLiteral("guide"), Lane::Hybrid, QStringLiteral("hybrid + HyDE, judged"));
    QVERIFY(selectData(d->denseIndexBox(), QStringLiteral("guide:hnsw:lexical")));
    QVERIFY(selectData(d->fusionBox(), QStringLiteral("rrf")));
    d->rrfKBox()->setValue(40);
    d->depthBox()->setValue(100);
    QVERIFY(selectData(d->transformBox(), int(TransformKind::Hyde)));
    d->variantsBox()->setValue(2);
    d->judgeGroup()->setChecked(true);
    QVERIFY(selectData(d->answerModelBox(), QStringLiteral("llamacpp:judge-test")));
    d->repeatsBox()->setValue(2);
    d->limitBox()->setValue(10);
    auto request = d->request();
    QVERIFY2(request.has_value(), request ? "" : request.error().message().c_str());
    PipelineConfig expected = guidePipeline(Lane::Hybrid, "hnsw");
    expected.rrfK = 40;
    expected.transform.kind = TransformKind::Hyde;
    expected.transform.chat = "llamacpp:judge-test";
    expected.transform.variants = 2;
    QCOMPARE(request->pipeline.hash(), expected.hash());
    QCOMPARE(request->depth, 100);
    QCOMPARE(request->transformBaseUrl, url);
    QVERIFY(request->judging.has_value());
    QCOMPARE(request->judging->answerModel, std::string("llamacpp:judge-test"));
    QCOMPARE(request->judging->answerBaseUrl, url);
    QCOMPARE(request->judging->judgeModel, std::string("llamacpp:judge-test"));
    QCOMPARE(request->judging->judgeBaseUrl, url);
    QCOMPARE(request->judging->repeats, 2);
    QCOMPARE(request->judging->limit, std::size_t(10));
    saveScreenshot();
    d->reject();
}

// RAGWB_SCREENSHOT_DIR=DIR saves the window with the form over the Evaluate pane.
void TestEvaluateRun::saveScreenshot()
{
    const QString shots = qEnvironmentVariable("RAGWB_SCREENSHOT_DIR");
    if (shots.isEmpty())
        return;
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
        dock->hide();
    m_window->resize(1400, 900);
    QTest::qWait(200);
    EvalRunDialog *d = m_pane->runDialog();
    d->adjustSize();
    QPixmap shot = m_window->grab();
    const QPixmap form = d->grab();
    // Offscreen windows have no decorations: the form gets a title bar of its own.
    constexpr int kTitle = 30;
    const int x = (shot.width() - form.width()) / 2, y = (shot.height() - form.height() + kTitle) / 2;
    QPainter painter(&shot);
    painter.fillRect(QRect(x - 1, y - kTitle, form.width() + 2, form.height() + kTitle + 1), QColor(0x3c, 0x3f, 0x41));
    painter.setPen(Qt::white);
    painter.drawText(QRect(x, y - kTitle, form.width(), kTitle), Qt::AlignCenter, d->windowTitle());
    painter.drawPixmap(x, y, form);
    painter.end();
    const QString file = shots + QStringLiteral("/evaluate-newrun.png");
    QVERIFY2(shot.save(file), qPrintable(file));
}

QTEST_MAIN(TestEvaluateRun)
#include "tst_evaluaterun.moc"
