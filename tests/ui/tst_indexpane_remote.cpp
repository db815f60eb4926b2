// Offscreen GUI test of the Index pane with remote embedders against the scripted
// server (tests/reference/llm_test_server.cjs, "ollama-embed" and "cohere-embed"):
// a flat index built with ollama:embed-test at a base URL typed into the pane records
// the embedder key the engine derives from that endpoint (provider, model,
// sha256(base URL), probed dimension 8) and every chunk went through /api/embed;
// an unknown model, an unreachable server and a missing key fail the build job with
// the provider's message, shown as build errors are, leaving no index behind.
#include "core/chunking/chunkerconfig.h"
#include "core/common/hashing.h"
#include "core/jobs/jobrunner.h"
#include "core/workbench.h"
#include "models/indexvariantmodel.h"
#include "tests/net/testserver.h"
#include "ui/indexpane.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rag;

namespace {

const std::string kDemo = RAG_SOURCE_DIR "/resources/demo";

} // namespace

class TestIndexPaneRemote : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void ollamaIndexRecordsItsEndpoint();
    void remoteErrorsFailTheBuild_data();
    void remoteErrorsFailTheBuild();

private:
    void choose(const QString &provider, const QString &model, const QString &baseUrl);
    std::vector<IndexRecord> indexes() const;

    QTemporaryDir m_dir;
    QString m_path;
    test::TestServer m_server;
    std::int64_t m_chunks = 0;
    std::unique_ptr<JobRunner> m_runner;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<IndexPane> m_pane;
};

void TestIndexPaneRemote::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    test::clearProxyEnvironment();
    for (const char *variable : {"OLLAMA_HOST", "OLLAMA_API_KEY", "COHERE_BASE_URL", "COHERE_API_KEY", "OPENAI_BASE_URL"})
        qunsetenv(variable);
    QVERIFY(m_dir.isValid());
    const QString error = m_server.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_path = m_dir.filePath(QStringLiteral("remote.ragwb"));
    const Workbench wb(m_path.toStdString());
    QVERIFY(wb.create().has_value());
    auto ingested = wb.ingest({kDemo + "/corpus.jsonl"}, {}, JobContext{});
    QVERIFY2(ingested.has_value(), ingested ? "" : ingested.error().message().c_str());
    ChunkerConfig chunker;
    chunker.size = 800;
    chunker.overlap = 100;
    auto chunked = wb.chunk("demo", chunker, JobContext{});
    QVERIFY2(chunked.has_value(), chunked ? "" : chunked.error().message().c_str());
    auto snapshot = wb.snapshot();
    QVERIFY(snapshot.has_value());
    QCOMPARE(snapshot->chunkSets.size(), std::size_t(1));
    m_chunks = snapshot->chunkSets.front().chunks;
    QVERIFY(m_chunks > 10);

    m_runner = std::make_unique<JobRunner>();
    m_session = std::make_unique<ProjectSession>(*m_runner);
    m_pane = std::make_unique<IndexPane>(*m_session);
    m_pane->show();
    QSignalSpy changed(m_session.get(), &ProjectSession::stateChanged);
    m_session->open(m_path);
    QVERIFY(changed.wait(60000));
    auto *build = m_pane->findChild<QPushButton *>(QStringLiteral("buildIndexButton"));
    QTRY_VERIFY_WITH_TIMEOUT(build->isEnabled(), 30000);
}

void TestIndexPaneRemote::cleanupTestCase()
{
    m_pane.reset();
    if (m_runner) {
        m_runner->cancelAll();
        m_runner->waitForAll();
    }
    m_session.reset();
    m_runner.reset();
}

void TestIndexPaneRemote::choose(const QString &provider, const QString &model, const QString &baseUrl)
{
    m_pane->kindBox()->setCurrentIndex(m_pane->kindBox()->findData(QStringLiteral("flat")));
    const int e = m_pane->embedderBox()->findText(provider);
    QVERIFY2(e >= 0, qPrintable(QStringLiteral("the embedder box does not offer %1").arg(provider)));
    m_pane->embedderBox()->setCurrentIndex(e);
    QVERIFY(m_pane->modelEdit()->isEnabled());
    QVERIFY(m_pane->baseUrlEdit()->isEnabled());
    m_pane->modelEdit()->setText(model);
    m_pane->baseUrlEdit()->setText(baseUrl);
}

std::vector<IndexRecord> TestIndexPaneRemote::indexes() const
{
    auto snapshot = Workbench(m_path.toStdString()).snapshot();
    return snapshot ? snapshot->indexes : std::vector<IndexRecord>{};
}

void TestIndexPaneRemote::ollamaIndexRecordsItsEndpoint()
{
    const std::string host = m_server.url("/ollama-embed/pane");
    choose(QStringLiteral("ollama:"), QStringLiteral("embed-test"), QString::fromStdString(host));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(m_pane->currentSpec().embedder, std::string("ollama:embed-test"));
    QCOMPARE(m_pane->currentSpec().baseUrl, host);  // the endpoint travels in the spec, not the environment
    QSignalSpy built(m_session.get(), &ProjectSession::indexBuilt);
    QSignalSpy failed(m_session.get(), &ProjectSession::failed);
    QTest::mouseClick(m_pane->findChild<QPushButton *>(QStringLiteral("buildIndexButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(built.count() + failed.count() > 0, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.front().at(1).toString()));
    const QString name = built.front().at(0).toString();
    QCOMPARE(name, QString::fromStdString(defaultIndexName(m_pane->currentSpec())));

    const auto all = indexes();
    const auto record = std::find_if(all.begin(), all.end(), [&](const IndexRecord &r) { return r.name == name.toStdString(); });
    QVERIFY(record != all.end());
    QCOMPARE(record->kind, std::string("flat"));
    QVERIFY(!qEnvironmentVariableIsSet("OLLAMA_HOST"));
    QCOMPARE(record->embedderKey, "ollama:embed-test@remote#" + sha256Hex(host).substr(0, 12) + "/8");
    // The probe, then the chunks' texts through Ollama's native API, each text once
    // (identical chunk texts share one cached vector).
    const auto stats = m_server.stats("ollama-embed", "pane");
    QVERIFY(stats["requests"].get<int>() >= 2);
    std::int64_t served = 0;
    for (const auto &[text, count] : stats["served"].items()) {
        QCOMPARE(count.get<int>(), 1);
        ++served;
    }
    QVERIFY2(served > m_chunks / 2 && served <= m_chunks + 1, qPrintable(QString::number(served)));
    // The variant list shows it once the session refreshed.
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->variantModel()->rowCount() == int(all.size()), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->statusText().startsWith(QStringLiteral("Built in")), 30000);
}

void TestIndexPaneRemote::remoteErrorsFailTheBuild_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown model") << "ollama:" << "no-such-model"
                                   << QString::fromStdString(m_server.url("/ollama-embed-error/pane"))
                                   << "not found, try pulling it first";
    QTest::newRow("server unreachable") << "openai:" << "embed-test" << "http://127.0.0.1:9/v1"
                                        << "Couldn't connect to server";
    QTest::newRow("missing key") << "cohere:" << "embed-v4.0" << "" << "COHERE_API_KEY is not set";
}

void TestIndexPaneRemote::remoteErrorsFailTheBuild()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(QString, baseUrl);
    QFETCH(QString, expected);
    choose(provider, model, baseUrl);
    if (QTest::currentTestFailed())
        return;
    const std::size_t before = indexes().size();
    QSignalSpy failed(m_session.get(), &ProjectSession::failed);
    QSignalSpy finished(m_runner.get(), &JobRunner::jobFinished);
    QTest::mouseClick(m_pane->findChild<QPushButton *>(QStringLiteral("buildIndexButton")), Qt::LeftButton);
    QVERIFY(failed.wait(120000));
    const QString message = failed.front().at(1).toString();
    QVERIFY2(message.contains(expected), qPrintable(message));
    // The job itself failed with that error (what the job dock lists), and the pane says so.
    const auto buildJob = [&] {
        for (const QList<QVariant> &args : finished) {
            const JobInfo job = m_runner->job(args.at(0).value<quint64>());
            if (job.title.starts_with("Build index "))
                return job;
        }
        return JobInfo{};
    };
    QTRY_VERIFY_WITH_TIMEOUT(buildJob().id != 0, 30000);
    const JobInfo info = buildJob();
    QCOMPARE(info.title, "Build index " + defaultIndexName(m_pane->currentSpec()));
    QCOMPARE(info.state, JobState::Failed);
    QCOMPARE(QString::fromStdString(info.error.message()), message);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->statusText().startsWith(QStringLiteral("Build failed: ")), 30000);
    QVERIFY(m_pane->statusText().contains(expected));
    QCOMPARE(indexes().size(), before);
}

QTEST_MAIN(TestIndexPaneRemote)
#include "tst_indexpane_remote.moc"
