// The pipeline options eval, evalset run and sweep share: HNSW parameters land in
// the recorded config, a bm25 eval keeps an empty embedder (its run identity), and a
// query transform runs through `evalset run` and every point of `sweep` against the
// scripted OpenAI-wire server (tests/reference/llm_test_server.cjs, scenario
// "transform"): one model call per distinct query, recorded in the run, and the
// multi-query phrasings find the document the question's words miss. A transform
// without --chat is a usage error (exit 2).
#include "ragwbprocess.h"
#include "tests/net/testserver.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

namespace {

// d1 shares no word with q1; d2 and d3 share several. q2 names its document's words.
const char *kCorpus =
    R"({"_id": "d1", "title": "", "text": "Chloroplasts capture sunlight and carry out photosynthesis, turning carbon dioxide and water into glucose and oxygen."}
{"_id": "d2", "title": "", "text": "Garden plants need regular watering, and food scraps make good compost for green plants."}
{"_id": "d3", "title": "", "text": "Home cooks make their own food from fresh vegetables and grains."}
{"_id": "d4", "title": "", "text": "Volcanoes erupt when magma rises through the crust and escapes as lava, ash and gas."}
{"_id": "d5", "title": "", "text": "The heart pumps blood through arteries and veins to every organ of the body."}
)";

const char *kQa =
    R"({"id": "q1", "question": "How do green plants make their own food?", "relevant_doc_ids": ["d1"]}
{"id": "q2", "question": "Why do volcanoes erupt lava?", "relevant_doc_ids": ["d4"]}
)";

using rag::test::Ran;
using rag::test::ragwb;

nlohmann::json readReport(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
}

} // namespace

class TestPipelineOptions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    rag::test::TestServer m_server;
    QString m_project;

    QStringList transformArgs(const std::string &id) const
    {
        return {QStringLiteral("--transform"), QStringLiteral("multi-query"), QStringLiteral("--chat"),
                QStringLiteral("llamacpp:gpt-test"), QStringLiteral("--base-url"),
                QString::fromStdString(m_server.url("/transform/" + id + "/v1")), QStringLiteral("--variants"),
                QStringLiteral("3")};
    }

    QStringList evalsetRunArgs(const QString &json) const
    {
        return {QStringLiteral("evalset"), QStringLiteral("run"), QStringLiteral("--project"), m_project,
                QStringLiteral("--eval-set"), QStringLiteral("qa"), QStringLiteral("--metrics"), QStringLiteral("mrr,hit@1"),
                QStringLiteral("--no-chunk-metrics"), QStringLiteral("--json"), json, QStringLiteral("--quiet")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        rag::test::clearProxyEnvironment();
        QVERIFY(m_dir.isValid());
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString built = rag::test::buildQaProject(m_dir.path(), {{"corpus.jsonl", kCorpus}, {"qa.jsonl", kQa}},
                                                        QStringLiteral("corpus.jsonl"), QStringLiteral("qa.jsonl"));
        QVERIFY2(built.isEmpty(), qPrintable(built));
        m_project = m_dir.filePath(QStringLiteral("p.ragwb"));
    }

    void hnswOptionsAreRecorded_data()
    {
        QTest::addColumn<QString>("retriever");
        QTest::addColumn<QString>("M");
        QTest::addColumn<QString>("efSearch");
        QTest::addColumn<QString>("recordedEmbedder");
        QTest::newRow("dense M 8 ef 40") << "dense" << "8" << "40" << "lexical";
        QTest::newRow("hybrid M 24 ef 300") << "hybrid" << "24" << "300" << "lexical";
        // --embedder is ignored for bm25: the run keeps the identity it had before.
        QTest::newRow("bm25 keeps no embedder") << "bm25" << "12" << "64" << "";
    }

    void hnswOptionsAreRecorded()
    {
        QFETCH(QString, retriever);
        QFETCH(QString, M);
        QFETCH(QString, efSearch);
        QFETCH(QString, recordedEmbedder);
        const QString json = m_dir.filePath(QStringLiteral("eval-%1.json").arg(retriever));
        const Ran r = ragwb({QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("resources/demo"),
                             QStringLiteral("--retriever"), retriever, QStringLiteral("--embedder"),
                             QStringLiteral("lexical"), QStringLiteral("--M"), M, QStringLiteral("--ef-construction"),
                             QStringLiteral("300"), QStringLiteral("--ef-search"), efSearch, QStringLiteral("--json"), json,
                             QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        nlohmann::json config = readReport(json)["config"];
        QCOMPARE(config["index"]["M"].get<int>(), M.toInt());
        QCOMPARE(config["index"]["ef_search"].get<int>(), efSearch.toInt());
        QCOMPARE(config["index"]["ef_construction"].get<int>(), 300);
        QCOMPARE(QString::fromStdString(config["embedder"].get<std::string>()), recordedEmbedder);
        QVERIFY(!config.contains("transform"));
    }

    void badHnswOptionIsAUsageError()
    {
        const Ran r = ragwb({QStringLiteral("evalset"), QStringLiteral("run"), QStringLiteral("--project"), m_project,
                             QStringLiteral("--eval-set"), QStringLiteral("qa"), QStringLiteral("--M"), QStringLiteral("1")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("index.M")), qPrintable(r.err));
    }

    void evalsetRunAppliesTheTransform()
    {
        const QString plainJson = m_dir.filePath(QStringLiteral("plain.json"));
        const Ran plain = ragwb(evalsetRunArgs(plainJson));
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        const QString json = m_dir.filePath(QStringLiteral("transformed.json"));
        const Ran r = ragwb(evalsetRunArgs(json) + transformArgs("evalset"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        nlohmann::json report = readReport(json);
        nlohmann::json &config = report["config"];
        QCOMPARE(config["transform"]["kind"].get<std::string>(), std::string("multi-query"));
        QCOMPARE(config["transform"]["chat"].get<std::string>(), std::string("llamacpp:gpt-test"));
        // One call per distinct query; the server bills 30 prompt tokens a call.
        nlohmann::json &usage = config["transform_usage"];
        QCOMPARE(usage["model_calls"].get<int>(), 2);
        QCOMPARE(usage["expanded_queries"].get<int>(), 2);
        QCOMPARE(usage["input_tokens"].get<long long>(), 60LL);
        QCOMPARE(usage["fallbacks"].get<int>(), 0);
        QCOMPARE(m_server.stats("transform", "evalset")["requests"].get<int>(), 2);
        QVERIFY(!readReport(plainJson)["config"].contains("transform"));

        // q1's words miss d1; the phrasings ("chloroplasts", "photosynthesis") find it first.
        const double plainMrr = readReport(plainJson)["metrics"]["mrr"].get<double>();
        const double mrr = report["metrics"]["mrr"].get<double>();
        qInfo("mrr plain %.4f, multi-query %.4f", plainMrr, mrr);
        QCOMPARE(report["metrics"]["hit@1"].get<double>(), 1.0);
        QVERIFY(plainMrr < 1.0);
        QCOMPARE(mrr, 1.0);
    }

    void sweepAppliesTheTransformToEveryPoint()
    {
        const QString json = m_dir.filePath(QStringLiteral("sweep.json"));
        const Ran r = ragwb(QStringList{QStringLiteral("sweep"), QStringLiteral("--project"), m_project,
                                        QStringLiteral("--eval-set"), QStringLiteral("qa"), QStringLiteral("--metrics"),
                                        QStringLiteral("mrr"), QStringLiteral("--chunk-sizes"), QStringLiteral("300,600"),
                                        QStringLiteral("--chunk-overlaps"), QStringLiteral("0"),
                                        QStringLiteral("--no-chunk-metrics"), QStringLiteral("--json"), json,
                                        QStringLiteral("--quiet")}
                            + transformArgs("sweep"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        nlohmann::json points = readReport(json)["points"];
        QCOMPARE(points.size(), std::size_t(2));
        for (nlohmann::json &p : points) {
            QCOMPARE(p["config"]["transform"]["kind"].get<std::string>(), std::string("multi-query"));
            QCOMPARE(p["metrics"]["mrr"].get<double>(), 1.0);
        }
        // Each point's run asks the model for its own queries.
        QCOMPARE(m_server.stats("transform", "sweep")["requests"].get<int>(), 4);
    }

    void transformWithoutChatIsAUsageError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("eval") << QStringList{QStringLiteral("eval"), QStringLiteral("--beir"), QStringLiteral("resources/demo")};
        QTest::newRow("evalset run") << QStringList{QStringLiteral("evalset"), QStringLiteral("run"), QStringLiteral("--eval-set"),
                                                    QStringLiteral("qa")};
        QTest::newRow("sweep") << QStringList{QStringLiteral("sweep"), QStringLiteral("--eval-set"), QStringLiteral("qa")};
    }

    void transformWithoutChatIsAUsageError()
    {
        QFETCH(QStringList, args);
        const Ran r = ragwb(args + QStringList{QStringLiteral("--project"), m_project, QStringLiteral("--transform"),
                                               QStringLiteral("hyde")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("transform.chat")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("needs a chat model")), qPrintable(r.err));
    }

    // "--alpha abc" used to become weight 0, a valid value, silently.
    void nonNumericWeightIsAUsageError_data() { transformWithoutChatIsAUsageError_data(); }

    void nonNumericWeightIsAUsageError()
    {
        QFETCH(QStringList, args);
        const Ran r = ragwb(args + QStringList{QStringLiteral("--project"), m_project, QStringLiteral("--alpha"),
                                               QStringLiteral("abc")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--alpha")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("'abc' is not a number")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestPipelineOptions)
#include "tst_pipelineoptions.moc"
