// `ragwb judge` end to end: a project built with ragwb init/ingest/evalset import,
// answered and judged through the scripted OpenAI-wire judge; the four aggregates
// print with measured/total counts and unmeasured reasons, --json writes the judged
// results, the run shows in `ragwb runs list`, and exit codes follow eval: 0, 2 for
// usage errors, 3 when --fail-under is not met.
#include "tests/net/testserver.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

namespace {

const char *kCorpus =
    R"({"_id": "d1", "title": "", "text": "Mitochondria produce energy for the cell. They hold their own small genome."}
{"_id": "d2", "title": "", "text": "Ribosomes translate messenger RNA into proteins. They float in the cytoplasm."}
{"_id": "d3", "title": "", "text": "Chloroplasts capture sunlight for photosynthesis. Plants store energy as starch."}
{"_id": "d4", "title": "", "text": "The nucleus stores chromosomes. Transcription happens inside the nucleus."}
)";

const char *kQa =
    R"({"id": "q1", "question": "What do mitochondria produce for the cell?", "answer": "Mitochondria produce energy for the cell. Mitochondria descend from ancient bacteria.", "relevant_doc_ids": ["d1"]}
{"id": "q2", "question": "Where are chromosomes stored?", "relevant_doc_ids": ["d4"]}
{"id": "q3", "question": "An unjudgeable question about starch and photosynthesis", "answer": "Plants store energy as starch.", "relevant_doc_ids": ["d3"]}
)";

struct Run {
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestJudgeCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    rag::test::TestServer m_server;
    QString m_project;

    Run ragwb(const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENAI_API_KEY"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(RAGWB_EXECUTABLE), args);
        if (!p.waitForFinished(240000))
            return {};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QStringList judgeArgs(const QString &id)
    {
        return {QStringLiteral("judge"), QStringLiteral("--project"), m_project, QStringLiteral("--eval-set"),
                QStringLiteral("qa"), QStringLiteral("--judge"), QStringLiteral("llamacpp:judge-test"),
                QStringLiteral("--base-url"), QString::fromStdString(m_server.url("/judge/" + id.toStdString() + "/v1")),
                QStringLiteral("--context-chunks"), QStringLiteral("3"), QStringLiteral("--quiet")};
    }

private Q_SLOTS:
    void initTestCase()
    {
        rag::test::clearProxyEnvironment();
        QVERIFY(m_dir.isValid());
        const QString error = m_server.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const auto &[name, text] : {std::pair{"corpus.jsonl", kCorpus}, std::pair{"qa.jsonl", kQa}}) {
            QFile f(m_dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        m_project = m_dir.filePath(QStringLiteral("p.ragwb"));
        Run r = ragwb({QStringLiteral("init"), m_project});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ragwb({QStringLiteral("ingest"), m_project, m_dir.filePath(QStringLiteral("corpus.jsonl"))});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = ragwb({QStringLiteral("evalset"), QStringLiteral("import"), QStringLiteral("--project"), m_project,
                   m_dir.filePath(QStringLiteral("qa.jsonl"))});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    void judgesAndPrintsAggregates()
    {
        const QString json = m_dir.filePath(QStringLiteral("judged.json"));
        const Run r = ragwb(judgeArgs(QStringLiteral("cli")) << QStringLiteral("--judge-repeat") << QStringLiteral("2")
                                                             << QStringLiteral("--json") << json);
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        // q3 is never judged (invalid replies), q2 has no reference answer.
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("faithfulness\\s+\\d\\.\\d{4}  measured 2/3"))), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("context_recall\\s+\\d\\.\\d{4}  measured 1/3"))), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("1 the query has no reference answer")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("1 invalid judge reply after 3 asks")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("agreement over 2: MAD 0.0000, within 0.1 100%")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("answers by extractive:overlap-v1, judged by llamacpp:judge-test (repeat 2)")),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto judged = nlohmann::json::parse(f.readAll().toStdString());
        QCOMPARE(judged["metrics"]["faithfulness"]["measured"].get<int>(), 2);
        QCOMPARE(judged["metrics"]["faithfulness"]["unmeasured"].get<int>(), 1);
        QCOMPARE(judged["queries"].size(), std::size_t(3));
        QCOMPARE(judged["usage"]["judge"]["calls"].get<int>(), m_server.stats("judge", "cli")["requests"].get<int>());

        const Run runs = ragwb({QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--project"), m_project});
        QVERIFY2(runs.code == 0, qPrintable(runs.err));
        QVERIFY2(runs.out.contains(QStringLiteral("judged bm25 answer=extractive:overlap-v1 judge=llamacpp:judge-test")),
                 qPrintable(runs.out));
        QVERIFY2(runs.out.contains(QStringLiteral("faithfulness=")), qPrintable(runs.out));
    }

    // A query transform in the judged pipeline: the transform model (its own base URL)
    // is asked once per query before retrieval, then the judge scores as usual.
    void judgesATransformedPipeline()
    {
        const Run r = ragwb(judgeArgs(QStringLiteral("transformed"))
                            << QStringLiteral("--transform") << QStringLiteral("multi-query") << QStringLiteral("--chat")
                            << QStringLiteral("llamacpp:gpt-test") << QStringLiteral("--transform-base-url")
                            << QString::fromStdString(m_server.url("/transform/judged/v1")) << QStringLiteral("--variants")
                            << QStringLiteral("2"));
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(m_server.stats("transform", "judged")["requests"].get<int>(), 3);  // q1, q2, q3
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("faithfulness\\s+\\d\\.\\d{4}  measured 2/3"))),
                 qPrintable(r.out));
        // Without --chat the transform is a usage error, as in eval.
        QCOMPARE(ragwb(judgeArgs(QStringLiteral("transformed-bad")) << QStringLiteral("--transform")
                                                                      << QStringLiteral("hyde"))
                     .code,
                 2);
    }

    void failUnderExitsThree()
    {
        Run r = ragwb(judgeArgs(QStringLiteral("gate")) << QStringLiteral("--fail-under") << QStringLiteral("faithfulness=1.01"));
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains(QStringLiteral("faithfulness")), qPrintable(r.err));
        r = ragwb(judgeArgs(QStringLiteral("gate-ok")) << QStringLiteral("--fail-under") << QStringLiteral("context_precision=0.0"));
        QCOMPARE(r.code, 0);
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(ragwb({QStringLiteral("judge"), QStringLiteral("--project"), m_project}).code, 2);
        QCOMPARE(ragwb(judgeArgs(QStringLiteral("usage")) << QStringLiteral("--fail-under") << QStringLiteral("ndcg@10=0.5")).code, 2);
        QCOMPARE(ragwb(judgeArgs(QStringLiteral("usage")) << QStringLiteral("--judge-repeat") << QStringLiteral("0")).code, 2);
        // An eval set the project does not hold is a failure (1), as in eval.
        QCOMPARE(ragwb(judgeArgs(QStringLiteral("usage")) << QStringLiteral("--eval-set") << QStringLiteral("nope")).code, 1);
    }
};

QTEST_GUILESS_MAIN(TestJudgeCli)
#include "tst_judgecli.moc"
